package inferbench.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Throughput against requests in flight, one line per transport and a dashed line for the
 * in-process floor: how close each protocol gets to what the hardware can do.
 *
 * <p>Concurrency levels are spaced evenly (they are usually doublings), not to scale. Each
 * transport's points are shifted a few pixels sideways ("dodged"), so equal results do not
 * hide each other.
 */
final class ThroughputChart {
    private static final double DODGE = 7;

    private ThroughputChart() {
    }

    static ChartCanvas draw(List<CellResult> cells, String frames, String subtitle) {
        List<Integer> levels = cells.stream().map(CellResult::concurrency).distinct().sorted().toList();
        double max = cells.stream().mapToDouble(CellResult::throughput).max().orElse(1);
        ChartCanvas canvas = new ChartCanvas("Throughput against requests in flight, " + frames, subtitle,
                "req/s", max);
        int step = canvas.plot.width / levels.size();
        for (int i = 0; i < levels.size(); i++) {
            canvas.xLabel(Integer.toString(levels.get(i)), x(canvas, step, i));
        }
        canvas.xTitle("requests in flight");

        List<ChartCanvas.Key> keys = new ArrayList<>();
        List<String> transports = Charts.servedTransports(cells);
        for (int t = 0; t < transports.size(); t++) {
            Color color = Charts.SERIES.get(t % Charts.SERIES.size());
            int dodge = (int) Math.round((t - (transports.size() - 1) / 2.0) * DODGE);
            line(canvas, cells, transports.get(t), levels, step, dodge, color, ChartCanvas.SOLID, t, false);
            keys.add(new ChartCanvas.Key(transports.get(t), color, ChartCanvas.Style.LINE, t));
        }
        if (cells.stream().anyMatch(CellResult::isFloor)) {
            int marker = transports.size();
            line(canvas, cells, CellResult.FLOOR, levels, step, 0, Charts.FLOOR, ChartCanvas.DASHED, marker, true);
            keys.add(new ChartCanvas.Key(CellResult.FLOOR, Charts.FLOOR, ChartCanvas.Style.DASHED, marker));
        }
        canvas.legend(keys);
        return canvas;
    }

    /** One series: segments between its points, a marker on each, and (for the floor) the values above. */
    private static void line(ChartCanvas canvas, List<CellResult> cells, String transport, List<Integer> levels,
                             int step, int dodge, Color color, Stroke stroke, int marker, boolean labelled) {
        int previousX = -1;
        int previousY = -1;
        canvas.g.setColor(color);
        for (int i = 0; i < levels.size(); i++) {
            int level = levels.get(i);
            CellResult cell = cells.stream().filter(c -> c.transport().equals(transport) && c.concurrency() == level)
                    .findFirst().orElse(null);
            if (cell == null) {
                continue;
            }
            int x = x(canvas, step, i) + dodge;
            int y = canvas.y(cell.throughput());
            canvas.g.setColor(color);
            if (previousX >= 0) {
                canvas.g.setStroke(stroke);
                canvas.g.drawLine(previousX, previousY, x, y);
                canvas.g.setStroke(new BasicStroke(1));
            }
            canvas.marker(marker, x, y);
            if (labelled) {
                canvas.valueLabel(String.format(Locale.ROOT, "%.1f", cell.throughput()), x, y - 8);
            }
            previousX = x;
            previousY = y;
        }
    }

    private static int x(ChartCanvas canvas, int step, int index) {
        return canvas.plot.x + step * index + step / 2;
    }
}

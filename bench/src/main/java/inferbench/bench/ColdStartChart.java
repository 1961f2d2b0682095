package inferbench.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cold-start curves: overhead p50 per block of calls after a fresh start, one line per
 * transport, ending at the warm figure of the measured 1-in-flight cell. The value axis is
 * logarithmic, since a first call can cost a thousand times a warm one.
 */
final class ColdStartChart {
    private ColdStartChart() {
    }

    static ChartCanvas draw(List<ColdStart.Result> results, Map<String, CellResult> warm, String subtitle) {
        List<ColdStart.Block> longest = results.stream().map(ColdStart.Result::blocks)
                .max((a, b) -> a.size() - b.size()).orElseThrow();
        List<Double> values = new ArrayList<>();
        for (ColdStart.Result r : results) {
            r.blocks().forEach(b -> values.add(b.overheadP50()));
            if (warm.containsKey(r.transport())) {
                values.add(warm.get(r.transport()).overheadP50());
            }
        }
        double min = values.stream().filter(v -> v > 0).mapToDouble(Double::doubleValue).min().orElse(0.1);
        double max = values.stream().filter(v -> !Double.isNaN(v)).mapToDouble(Double::doubleValue).max().orElse(1);
        ChartCanvas canvas = ChartCanvas.logarithmic("Overhead p50 after a fresh server start", subtitle,
                "ms", min, max);
        int slots = longest.size() + 1;
        int step = canvas.plot.width / slots;
        for (int i = 0; i < longest.size(); i++) {
            canvas.xLabel(longest.get(i).label(), x(canvas, step, i));
        }
        canvas.xLabel("warm", x(canvas, step, longest.size()));
        canvas.xTitle("calls served since health OK (blocks), then the warm 1-in-flight cell");

        List<ChartCanvas.Key> keys = new ArrayList<>();
        for (int t = 0; t < results.size(); t++) {
            ColdStart.Result r = results.get(t);
            Color color = Charts.SERIES.get(t % Charts.SERIES.size());
            List<int[]> points = new ArrayList<>();
            for (int i = 0; i < r.blocks().size(); i++) {
                double value = r.blocks().get(i).overheadP50();
                if (!Double.isNaN(value)) {
                    points.add(new int[] {x(canvas, step, i), canvas.y(value)});
                }
            }
            CellResult cell = warm.get(r.transport());
            if (cell != null && !Double.isNaN(cell.overheadP50())) {
                points.add(new int[] {x(canvas, step, longest.size()), canvas.y(cell.overheadP50())});
            }
            canvas.g.setColor(color);
            for (int i = 0; i < points.size(); i++) {
                if (i > 0) {
                    canvas.g.setStroke(ChartCanvas.SOLID);
                    canvas.g.drawLine(points.get(i - 1)[0], points.get(i - 1)[1], points.get(i)[0], points.get(i)[1]);
                    canvas.g.setStroke(new BasicStroke(1));
                }
                canvas.marker(t, points.get(i)[0], points.get(i)[1]);
            }
            keys.add(new ChartCanvas.Key(r.transport(), color, ChartCanvas.Style.LINE, t));
        }
        canvas.legend(keys);
        return canvas;
    }

    private static int x(ChartCanvas canvas, int step, int index) {
        return canvas.plot.x + step * index + step / 2;
    }
}

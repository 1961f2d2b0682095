package inferbench.bench;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bars of p50, p90 and p99 end-to-end latency per transport at one concurrency, the floor last:
 * the picture of "which protocol answers sooner" with its tail, not a single number.
 */
final class LatencyChart {
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99");
    /** Dark to light: the median, the figure most read, stands out. */
    private static final List<Color> SHADES = List.of(new Color(0x08, 0x51, 0x9C), new Color(0x42, 0x92, 0xC6),
            new Color(0x9E, 0xCA, 0xE1));

    private LatencyChart() {
    }

    static ChartCanvas draw(List<CellResult> cells, int concurrency, String frames, String subtitle) {
        List<CellResult> groups = new ArrayList<>();
        for (String transport : Charts.servedTransports(cells)) {
            cells.stream().filter(c -> c.transport().equals(transport) && c.concurrency() == concurrency)
                    .findFirst().ifPresent(groups::add);
        }
        cells.stream().filter(c -> c.isFloor() && c.concurrency() == concurrency).findFirst().ifPresent(groups::add);
        double max = groups.stream().mapToDouble(c -> c.endToEnd().p99()).filter(v -> !Double.isNaN(v))
                .max().orElse(1);
        String inFlight = concurrency == 1 ? "1 request in flight" : concurrency + " requests in flight";
        ChartCanvas canvas = new ChartCanvas("End-to-end latency, " + inFlight + ", " + frames, subtitle,
                "ms", max);

        int slot = canvas.plot.width / Math.max(1, groups.size());
        int bar = Math.min(44, (int) (slot * 0.8 / PERCENTILES.size()));
        for (int i = 0; i < groups.size(); i++) {
            CellResult cell = groups.get(i);
            double[] values = {cell.endToEnd().p50(), cell.endToEnd().p90(), cell.endToEnd().p99()};
            int centre = canvas.plot.x + slot * i + slot / 2;
            int left = centre - bar * values.length / 2;
            for (int p = 0; p < values.length; p++) {
                if (Double.isNaN(values[p])) {
                    continue;
                }
                int top = canvas.y(values[p]);
                canvas.g.setColor(SHADES.get(p));
                canvas.g.fillRect(left + p * bar + 1, top, bar - 2, canvas.y(0) - top);
                canvas.valueLabel(String.format(Locale.ROOT, "%.1f", values[p]), left + p * bar + bar / 2, top);
            }
            canvas.xLabel(cell.transport(), centre);
        }
        List<ChartCanvas.Key> keys = new ArrayList<>();
        for (int p = 0; p < PERCENTILES.size(); p++) {
            keys.add(new ChartCanvas.Key(PERCENTILES.get(p), SHADES.get(p), ChartCanvas.Style.BAR, 0));
        }
        canvas.legend(keys);
        return canvas;
    }
}

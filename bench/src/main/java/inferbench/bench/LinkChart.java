package inferbench.bench;

import inferbench.link.LinkProfile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Overhead per frame at 1 in flight against the link, one line per transport, the links in order
 * of round-trip time (evenly spaced, labelled with their RTT): how much of each link's delay a
 * protocol turns into waiting, and where one needs more round trips than another.
 */
final class LinkChart {
    private static final double DODGE = 5;

    private LinkChart() {
    }

    /** @param cells one size, one way of sending, 1 in flight, every link and transport */
    static ChartCanvas draw(List<LinkCell> cells, String frames, String subtitle) {
        List<LinkProfile> links = cells.stream().map(LinkCell::link).distinct()
                .sorted(Comparator.comparing(LinkProfile::rtt)).toList();
        double max = Math.max(links.get(links.size() - 1).rttMillis(), cells.stream()
                .mapToDouble(c -> c.cell().overheadP50()).filter(v -> !Double.isNaN(v)).max().orElse(1));
        ChartCanvas canvas = new ChartCanvas("Overhead per frame by link, " + frames, subtitle, "ms", max);
        int step = canvas.plot.width / links.size();
        canvas.g.setColor(Charts.FLOOR);
        canvas.g.setStroke(ChartCanvas.DASHED);
        for (int i = 0; i < links.size(); i++) {
            LinkProfile link = links.get(i);
            canvas.xLabel(link.name().contains("=") ? link.name()
                    : link.name() + " (" + LinkProfile.millis(link.rtt()) + ")", x(canvas, step, i));
            int y = canvas.y(link.rttMillis());
            canvas.g.drawLine(x(canvas, step, i) - step / 3, y, x(canvas, step, i) + step / 3, y);
        }
        canvas.g.setStroke(new BasicStroke(1));
        canvas.xTitle("link (round-trip time); overhead = end-to-end minus the server's own time, p50");
        List<ChartCanvas.Key> keys = new ArrayList<>();
        List<String> transports = cells.stream().map(c -> c.cell().transport()).distinct().toList();
        for (int t = 0; t < transports.size(); t++) {
            Color color = Charts.SERIES.get(t % Charts.SERIES.size());
            int dodge = (int) Math.round((t - (transports.size() - 1) / 2.0) * DODGE);
            String transport = transports.get(t);
            canvas.g.setColor(color);
            int previousX = -1;
            int previousY = -1;
            for (int i = 0; i < links.size(); i++) {
                LinkProfile link = links.get(i);
                LinkCell cell = cells.stream().filter(c -> c.link().equals(link)
                        && c.cell().transport().equals(transport)).findFirst().orElse(null);
                if (cell == null || Double.isNaN(cell.cell().overheadP50())) {
                    continue;
                }
                int x = x(canvas, step, i) + dodge;
                int y = canvas.y(cell.cell().overheadP50());
                if (previousX >= 0) {
                    canvas.g.setStroke(ChartCanvas.SOLID);
                    canvas.g.drawLine(previousX, previousY, x, y);
                    canvas.g.setStroke(new BasicStroke(1));
                }
                canvas.marker(t, x, y);
                previousX = x;
                previousY = y;
            }
            keys.add(new ChartCanvas.Key(transport, color, ChartCanvas.Style.LINE, t));
        }
        keys.add(new ChartCanvas.Key("one round trip", Charts.FLOOR, ChartCanvas.Style.DASHED, -1));
        canvas.legend(keys);
        return canvas;
    }

    private static int x(ChartCanvas canvas, int step, int index) {
        return canvas.plot.x + step * index + step / 2;
    }
}

package inferbench.client;

import inferbench.client.transport.Reply;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.util.Arrays;
import java.util.Locale;

/**
 * The card under each picture: the original client's numbers (frame, end-to-end and rate with
 * their medians, bytes, server time, detections, save) and what it lacked: a sparkline of the
 * last 200 end-to-end latencies and p50/p95 since the last reset.
 *
 * <p>Both sparklines share one vertical scale, so the faster protocol's line is visibly lower.
 */
final class MetricsCard {
    private static final int PAD = 18;
    private static final int ROW = 25;
    private static final int VALUE_X = 92;
    private static final int DETAIL_X = 194;
    private static final int SPARK_WIDTH = 262;

    void draw(Graphics2D g, PanelView panel, int x, int y, int width, int height, Color accent, String key,
              double sparkMax) {
        LatencyMetrics.Snapshot m = panel.metrics();
        Reply reply = panel.reply();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Theme.SURFACE);
        g.fillRoundRect(x, y, width, height, 14, 14);

        g.setFont(Theme.HEADING);
        g.setColor(accent);
        g.drawString(panel.protocol(), x + PAD, y + 32);
        int after = x + PAD + g.getFontMetrics().stringWidth(panel.protocol()) + 12;
        g.setFont(Theme.LABEL);
        g.setColor(Theme.MUTED);
        String frame = panel.frameId() == 0 ? "no frame yet" : "frame " + panel.frameId();
        g.drawString(frame, after, y + 32);
        int targetWidth = x + width - PAD - (after + g.getFontMetrics().stringWidth(frame) + 24);
        String target = fit(g, panel.target(), targetWidth);
        g.drawString(target, x + width - PAD - g.getFontMetrics().stringWidth(target), y + 32);

        int textWidth = width - 2 * PAD - SPARK_WIDTH - 16; // the text columns end before the sparkline
        int detailWidth = textWidth - DETAIL_X;
        int rowY = y + 60;
        row(g, x, rowY, "end-to-end", ms(m.lastMs()), "median " + ms(m.medianMs()), detailWidth);
        row(g, x, rowY + ROW, "rate", fps(m.fps()), "median " + fps(m.medianFps()), detailWidth);
        row(g, x, rowY + 2 * ROW, "sent", reply == null ? "-" : bytes(reply.requestBytes()),
                reply == null ? "" : "reply " + bytes(reply.responseBytes()), detailWidth);
        row(g, x, rowY + 3 * ROW, "server", reply == null ? "-" : ms(reply.serverLatencyMs()), result(reply),
                detailWidth);
        row(g, x, rowY + 4 * ROW, "save", panel.save() ? "on" : "off",
                reply == null || reply.filename().isEmpty() ? "last file -" : reply.filename(), detailWidth);

        status(g, panel, x + PAD, y + height - 18, textWidth, key);
        sparkline(g, m, x + width - PAD - SPARK_WIDTH, y + 62, SPARK_WIDTH, height - 62 - 44, accent, sparkMax);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    }

    /**
     * A round number of milliseconds a little above the higher of the two panels' recent p95,
     * so one slow request (after a reconnect, say) does not flatten the rest; values above the
     * scale are drawn at the top edge.
     */
    static double sharedScale(LatencyMetrics.Snapshot a, LatencyMetrics.Snapshot b) {
        double high = Math.max(1, 1.2 * Math.max(recentP95(a.history()), recentP95(b.history())));
        double step = Math.pow(10, Math.floor(Math.log10(high)));
        for (double nice : new double[] {1, 2, 2.5, 5, 10}) {
            if (nice * step >= high) {
                return nice * step;
            }
        }
        return 10 * step;
    }

    private static double recentP95(double[] history) {
        if (history.length == 0) {
            return 0;
        }
        double[] sorted = history.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
    }

    /** The text, cut with "..." so it fits the width in the current font. */
    static String fit(Graphics2D g, String text, int maxWidth) {
        if (g.getFontMetrics().stringWidth(text) <= maxWidth) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && g.getFontMetrics().stringWidth(cut + "...") > maxWidth) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }

    private static void row(Graphics2D g, int x, int baseline, String label, String value, String detail,
                            int detailWidth) {
        g.setFont(Theme.LABEL);
        g.setColor(Theme.MUTED);
        g.drawString(label, x + PAD, baseline);
        g.setFont(Theme.VALUE);
        g.setColor(Theme.TEXT);
        g.drawString(value, x + PAD + VALUE_X, baseline);
        g.setFont(Theme.DETAIL);
        g.setColor(Theme.MUTED);
        g.drawString(fit(g, detail, detailWidth), x + PAD + DETAIL_X, baseline);
    }

    private static void status(Graphics2D g, PanelView panel, int x, int baseline, int width, String key) {
        String text;
        Color color;
        if (!panel.enabled()) {
            text = "disabled: press " + key + " or 3 to send frames";
            color = Theme.MUTED;
        } else if (panel.stopped()) {
            text = "stopped: " + panel.error();
            color = Theme.BAD;
        } else if (!panel.error().isEmpty()) {
            text = "error: " + panel.error() + ", retrying";
            color = Theme.BAD;
        } else if (panel.warmingUp()) {
            text = "warming up: " + ProtocolWorker.WARM_UP_CALLS + " calls, not counted";
            color = Theme.MUTED;
        } else if (panel.reply() == null) {
            text = "connecting...";
            color = Theme.MUTED;
        } else {
            long errors = panel.metrics().errors();
            text = "ok, " + ClientApp.count(panel.metrics().replies(), "reply", "replies")
                    + (errors > 0 ? ", " + ClientApp.count(errors, "error", "errors") : "") + " since reset"
                    + (Double.isNaN(panel.firstCallMs()) ? "" : " · first call " + duration(panel.firstCallMs()));
            color = Theme.GOOD;
        }
        g.setColor(color);
        g.fillOval(x, baseline - 10, 10, 10);
        g.setFont(Theme.LABEL);
        g.drawString(fit(g, text, width - 18), x + 18, baseline);
    }

    private static void sparkline(Graphics2D g, LatencyMetrics.Snapshot m, int x, int y, int width, int height,
                                  Color accent, double max) {
        g.setFont(Theme.SMALL);
        g.setColor(Theme.MUTED);
        g.drawString("end-to-end, last " + LatencyMetrics.HISTORY, x, y - 6);
        String top = String.format(Locale.ROOT, "%.0f ms", max);
        g.drawString(top, x + width - g.getFontMetrics().stringWidth(top), y - 6);
        g.setColor(Theme.BACKGROUND);
        g.fillRect(x, y, width, height);
        g.setColor(Theme.FAINT);
        for (int i = 1; i < 4; i++) {
            g.drawLine(x, y + height * i / 4, x + width, y + height * i / 4);
        }
        double[] values = m.history();
        if (values.length > 1) {
            Path2D.Double line = new Path2D.Double();
            Path2D.Double area = new Path2D.Double();
            double step = (double) width / (LatencyMetrics.HISTORY - 1);
            double startX = x + width - (values.length - 1) * step;
            area.moveTo(startX, y + height);
            for (int i = 0; i < values.length; i++) {
                double px = startX + i * step;
                double py = y + height - Math.min(1, values[i] / max) * height;
                if (i == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
                area.lineTo(px, py);
            }
            area.lineTo(x + width, y + height);
            area.closePath();
            g.setColor(new Color(accent.getRed(), accent.getGreen(), accent.getBlue(), 60));
            g.fill(area);
            g.setColor(accent);
            g.setStroke(new BasicStroke(1.6f));
            g.draw(line);
            g.setStroke(new BasicStroke(1));
        }
        g.setFont(Theme.SMALL);
        g.setColor(Theme.MUTED);
        String since = "since reset";
        int sinceWidth = g.getFontMetrics().stringWidth(since);
        g.drawString(since, x + width - sinceWidth, y + height + 22);
        g.setFont(Theme.DETAIL);
        g.setColor(Theme.TEXT);
        String percentiles = "p50 " + number(m.p50Ms()) + "  p95 " + ms(m.p95Ms());
        g.drawString(fit(g, percentiles, width - sinceWidth - 8), x, y + height + 22);
    }

    private static String result(Reply reply) {
        if (reply == null) {
            return "";
        }
        if (!reply.ok()) {
            return "ERROR";
        }
        int n = reply.detectionCount();
        return (n == 1 ? "1 face" : n + " faces") + ", " + reply.status();
    }

    /** A time that may be long, such as a first call: "166 ms" or "1.9 s". */
    static String duration(double millis) {
        return Double.isNaN(millis) ? "-" : millis < 1000 ? String.format(Locale.ROOT, "%.0f ms", millis)
                : String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }

    static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f ms", value);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    static String fps(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f fps", value);
    }

    static String bytes(long value) {
        return String.format(Locale.ROOT, "%,d B", value);
    }
}

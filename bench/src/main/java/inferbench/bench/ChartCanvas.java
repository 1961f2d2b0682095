package inferbench.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * What both charts share, drawn with plain Java2D: a white image, a title, a value axis from
 * zero with round-number gridlines, a legend on the right, and PNG output.
 */
final class ChartCanvas {
    static final Color TEXT = new Color(0x33, 0x33, 0x33);
    static final Color GRID = new Color(0xE3, 0xE3, 0xE3);
    static final Stroke DASHED = new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1,
            new float[] {8, 6}, 0);
    static final Stroke SOLID = new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final int LEGEND_WIDTH = 190;

    /** How a legend entry is drawn: a bar's colour, or a line (solid or dashed) with its marker. */
    enum Style { BAR, LINE, DASHED }

    /** One legend entry; {@code marker} is a {@link #marker} shape number, unused for bars, -1 for none. */
    record Key(String label, Color color, Style style, int marker) {
    }

    final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    final Graphics2D g = image.createGraphics();
    /** Where the data goes; axes and labels are drawn around it. */
    final Rectangle plot = new Rectangle(80, 84, WIDTH - 80 - LEGEND_WIDTH - 30, HEIGHT - 84 - 70);
    /** The value axis: from 0 to {@code top}, or (logarithmic) from {@code bottom} to {@code top}. */
    private final double bottom;
    private final double top;
    private final boolean logarithmic;

    /** @param dataMax the largest value to show; the axis goes to the next round number above it */
    ChartCanvas(String title, String subtitle, String unit, double dataMax) {
        this(title, subtitle, false, 0, linearTop(dataMax));
        double step = linearStep(dataMax);
        List<Double> lines = new ArrayList<>();
        for (double value = 0; value <= top + step / 2; value += step) {
            lines.add(value);
        }
        axis(unit, lines, step < 1 ? "%.1f" : "%.0f");
    }

    private ChartCanvas(String title, String subtitle, boolean logarithmic, double bottom, double top) {
        this.logarithmic = logarithmic;
        this.bottom = bottom;
        this.top = top;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(TEXT);
        g.setFont(font(Font.BOLD, 20));
        g.drawString(title, plot.x, 36);
        g.setFont(font(Font.PLAIN, 14));
        g.setColor(Color.GRAY);
        g.drawString(subtitle, plot.x, 60);
    }

    /**
     * A chart whose value axis is logarithmic, with gridlines at 1, 2 and 5 times the powers of
     * ten: for values that span orders of magnitude, such as a first call against a warm one.
     */
    static ChartCanvas logarithmic(String title, String subtitle, String unit, double dataMin, double dataMax) {
        double bottom = Math.pow(10, Math.floor(Math.log10(dataMin)));
        double top = Math.pow(10, Math.ceil(Math.log10(dataMax * 1.08)));
        ChartCanvas canvas = new ChartCanvas(title, subtitle, true, bottom, top);
        List<Double> lines = new ArrayList<>();
        for (double decade = bottom; decade <= top * 1.001; decade *= 10) {
            for (int multiple : new int[] {1, 2, 5}) {
                if (decade * multiple <= top * 1.001) {
                    lines.add(decade * multiple);
                }
            }
        }
        canvas.axis(unit, lines, bottom < 1 ? "%.2g" : "%.0f");
        return canvas;
    }

    private void axis(String unit, List<Double> lines, String format) {
        g.setFont(font(Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();
        for (double value : lines) {
            int y = y(value);
            g.setColor(GRID);
            g.drawLine(plot.x, y, plot.x + plot.width, y);
            String label = String.format(Locale.ROOT, format, value);
            g.setColor(TEXT);
            g.drawString(label, plot.x - 10 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
        }
        g.drawString(unit, plot.x - 10 - metrics.stringWidth(unit), plot.y - 14);
        g.drawLine(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y + plot.height);
    }

    /** The pixel row of a value on the axis. */
    int y(double value) {
        double fraction = logarithmic
                ? Math.log(Math.max(value, bottom) / bottom) / Math.log(top / bottom)
                : value / top;
        return plot.y + plot.height - (int) Math.round(fraction * plot.height);
    }

    /** A label centred under the plot at x, and the axis title below all of them. */
    void xLabel(String text, int x) {
        g.setFont(font(Font.PLAIN, 13));
        g.setColor(TEXT);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, plot.y + plot.height + 22);
    }

    void xTitle(String text) {
        g.setFont(font(Font.PLAIN, 14));
        g.setColor(TEXT);
        g.drawString(text, plot.x + plot.width / 2 - g.getFontMetrics().stringWidth(text) / 2,
                plot.y + plot.height + 50);
    }

    /** A small value written centred above a point. */
    void valueLabel(String text, int x, int y) {
        g.setFont(font(Font.PLAIN, 11));
        g.setColor(TEXT);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y - 5);
    }

    void legend(List<Key> keys) {
        int x = plot.x + plot.width + 30;
        int y = plot.y + 10;
        g.setFont(font(Font.PLAIN, 14));
        for (Key key : keys) {
            g.setColor(key.color());
            if (key.style() == Style.BAR) {
                g.fillRect(x, y - 12, 26, 14);
            } else {
                g.setStroke(key.style() == Style.DASHED ? DASHED : SOLID);
                g.drawLine(x, y - 5, x + 26, y - 5);
                g.setStroke(new BasicStroke(1));
                if (key.marker() >= 0) { // a reference line has none
                    marker(key.marker(), x + 13, y - 5);
                }
            }
            g.setColor(TEXT);
            g.drawString(key.label(), x + 36, y);
            y += 28;
        }
    }

    /**
     * A point marker in the current colour: 0 circle, 1 square, 2 diamond, 3 triangle (then
     * again), so lines that lie on top of each other can still be told apart.
     */
    void marker(int shape, int x, int y) {
        switch (shape % 4) {
            case 0 -> g.fillOval(x - 5, y - 5, 11, 11);
            case 1 -> g.fillRect(x - 5, y - 5, 10, 10);
            case 2 -> g.fillPolygon(new int[] {x, x + 6, x, x - 6}, new int[] {y - 6, y, y + 6, y}, 4);
            default -> g.fillPolygon(new int[] {x, x + 6, x - 6}, new int[] {y - 6, y + 5, y + 5}, 3);
        }
    }

    void save(Path file) throws IOException {
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) {
            throw new IOException("no PNG writer in this JVM");
        }
        ResultFiles.write(file, png.toByteArray());
    }

    static Font font(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }

    private static double linearStep(double dataMax) {
        return niceStep(dataMax > 0 ? dataMax / 5 : 1);
    }

    /** 8% headroom for the labels above the highest value, then the next gridline. */
    private static double linearTop(double dataMax) {
        double step = linearStep(dataMax);
        return Math.ceil(dataMax * 1.08 / step) * step;
    }

    /** 1, 2 or 5 times a power of ten: gridlines at values a reader can add up. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double residual = raw / magnitude;
        double nice = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}

package inferbench.client;

import inferbench.client.transport.Reply;
import inferbench.pipeline.Box;
import inferbench.pipeline.DetectionPipeline;
import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws the whole window, header, two panels and their metrics cards, into an image at its
 * natural size. The AWT window only scales and copies that image to the screen, so everything
 * visible can be rendered and checked without a display.
 *
 * <p>Each panel shows the 720x720 centre square of the frame it sent, the square the servers
 * detect in, so the returned boxes are drawn at their coordinates as they are.
 */
public final class WindowRenderer {
    public static final int SIDE = DetectionPipeline.CROP_SIDE;
    static final int MARGIN = 20;
    static final int HEADER = 64;
    static final int CARD = 206;
    static final int FOOTER = 44;
    public static final int WIDTH = 2 * SIDE + 3 * MARGIN;
    public static final int HEIGHT = HEADER + SIDE + 12 + CARD + FOOTER;

    private final MetricsCard card = new MetricsCard();

    /** A new image of {@link #WIDTH} x {@link #HEIGHT} with the view drawn on it. */
    public BufferedImage render(WindowView view) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        render(view, image);
        return image;
    }

    /**
     * Draws the view over an existing image (the window reuses one), scaled to the image's size.
     * A window smaller than the natural size is drawn small directly: text stays sharp, and
     * copying it to the screen needs no scaling, which costs more than drawing it.
     */
    public void render(WindowView view, BufferedImage target) {
        Graphics2D g = target.createGraphics();
        try {
            double scale = Math.min((double) target.getWidth() / WIDTH, (double) target.getHeight() / HEIGHT);
            if (scale != 1) {
                g.scale(scale, scale);
            }
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Theme.BACKGROUND);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            header(g, view);
            double sparkMax = MetricsCard.sharedScale(view.rest().metrics(), view.grpc().metrics());
            panel(g, view.rest(), imageOrigin(0), "1", sparkMax);
            panel(g, view.grpc(), imageOrigin(1), "2", sparkMax);
            g.setFont(Theme.LABEL);
            g.setColor(Theme.MUTED);
            centre(g, "keys:  " + Controls.KEYS, WIDTH / 2, HEIGHT - 17);
        } finally {
            g.dispose();
        }
    }

    /** Top-left corner of a panel's 720x720 image: 0 for REST, 1 for gRPC. */
    public static Point imageOrigin(int panel) {
        return new Point(MARGIN + panel * (SIDE + MARGIN), HEADER);
    }

    /** The text a switched-off panel shows, such as "REST disabled, press 1". */
    static String disabledNotice(PanelView panel, String key) {
        return (panel.protocol().startsWith("REST") ? "REST" : "gRPC") + " disabled, press " + key;
    }

    private void header(Graphics2D g, WindowView view) {
        int baseline = 42;
        g.setFont(Theme.TITLE);
        g.setColor(Theme.TEXT);
        g.drawString("REST vs gRPC", MARGIN, baseline);
        int x = MARGIN + g.getFontMetrics().stringWidth("REST vs gRPC") + 14;
        g.setFont(Theme.LABEL);
        String state = "source: " + view.source() + "    mode " + view.mode().key + ": " + view.mode().label
                + "    save " + (view.save() ? "ON" : "off");
        int width = g.getFontMetrics().stringWidth(state);
        g.setColor(Theme.MUTED);
        g.drawString(MetricsCard.fit(g, "live face detection, " + view.sending(), WIDTH - MARGIN - width - 20 - x),
                x, baseline);
        g.setColor(view.save() ? Theme.BOX : Theme.MUTED);
        g.drawString(state, WIDTH - MARGIN - width, baseline);
    }

    private void panel(Graphics2D g, PanelView panel, Point at, String key, double sparkMax) {
        Color accent = Theme.accent(panel.protocol());
        if (!panel.enabled()) {
            emptySquare(g, at, disabledNotice(panel, key), Theme.MUTED);
        } else if (panel.image() == null) {
            String waiting = panel.error().isEmpty() ? "waiting for " + panel.protocol() + "..." : panel.error();
            emptySquare(g, at, waiting, panel.error().isEmpty() ? Theme.MUTED : Theme.BAD);
        } else {
            frame(g, panel.image(), at);
            if (panel.reply() != null) {
                boxes(g, panel.reply(), at);
            }
            badge(g, panel, at, accent);
            if (!panel.error().isEmpty()) {
                banner(g, at, panel.stopped() ? panel.error() : panel.error() + ", retrying");
            }
        }
        g.setColor(accent);
        g.fillRect(at.x, at.y - 4, SIDE, 4);
        card.draw(g, panel, at.x, at.y + SIDE + 12, SIDE, CARD, accent, key, sparkMax);
    }

    private static void frame(Graphics2D g, BufferedImage image, Point at) {
        int side = Math.min(image.getWidth(), image.getHeight());
        int sx = (image.getWidth() - side) / 2;
        int sy = (image.getHeight() - side) / 2;
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, at.x, at.y, at.x + SIDE, at.y + SIDE, sx, sy, sx + side, sy + side, null);
    }

    /** Yellow rectangles with the score above each, as the original client draws them. */
    private static void boxes(Graphics2D g, Reply reply, Point at) {
        List<Box> boxes = reply.boxes();
        g.setStroke(new BasicStroke(3));
        g.setFont(Theme.VALUE);
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            int x = at.x + Math.round(b.x());
            int y = at.y + Math.round(b.y());
            g.setColor(Theme.BOX);
            g.drawRect(x, y, Math.round(b.w()), Math.round(b.h()));
            if (i < reply.scores().size()) {
                String score = String.format(Locale.ROOT, "%.2f", reply.scores().get(i));
                int labelY = Math.max(at.y + 18, y - 8);
                g.setColor(Color.BLACK);
                g.drawString(score, x + 1, labelY + 1);
                g.setColor(Theme.BOX);
                g.drawString(score, x, labelY);
            }
        }
        g.setStroke(new BasicStroke(1));
    }

    /** The protocol and its latest latency on the picture itself, readable at a glance. */
    private static void badge(Graphics2D g, PanelView panel, Point at, Color accent) {
        double ms = panel.metrics().lastMs();
        String text = panel.protocol() + (Double.isNaN(ms) ? "" : String.format(Locale.ROOT, "  %.1f ms", ms));
        g.setFont(Theme.HEADING);
        int width = g.getFontMetrics().stringWidth(text) + 24;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.72f));
        g.setColor(Theme.BACKGROUND);
        g.fillRoundRect(at.x + 12, at.y + 12, width, 38, 12, 12);
        g.setComposite(AlphaComposite.SrcOver);
        g.setColor(accent);
        g.drawString(text, at.x + 24, at.y + 39);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    }

    /** The last error across the bottom of the picture, which stays the last one answered. */
    private static void banner(Graphics2D g, Point at, String text) {
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.78f));
        g.setColor(Theme.BACKGROUND);
        g.fillRect(at.x, at.y + SIDE - 56, SIDE, 56);
        g.setComposite(AlphaComposite.SrcOver);
        g.setFont(Theme.HEADING);
        g.setColor(Theme.BAD);
        centre(g, MetricsCard.fit(g, text, SIDE - 40), at.x + SIDE / 2, at.y + SIDE - 20);
    }

    private static void emptySquare(Graphics2D g, Point at, String text, Color color) {
        g.setColor(Theme.SURFACE);
        g.fillRect(at.x, at.y, SIDE, SIDE);
        g.setFont(text.length() > 40 ? Theme.HEADING : Theme.NOTICE);
        g.setColor(color);
        centre(g, MetricsCard.fit(g, text, SIDE - 40), at.x + SIDE / 2, at.y + SIDE / 2);
    }

    static void centre(Graphics2D g, String text, int centreX, int baseline) {
        Font font = g.getFont();
        int width = g.getFontMetrics(font).stringWidth(text);
        g.drawString(text, centreX - width / 2, baseline);
    }
}

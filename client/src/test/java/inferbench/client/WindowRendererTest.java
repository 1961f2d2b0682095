package inferbench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.client.transport.Reply;
import inferbench.pipeline.Box;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowRendererTest {
    private static final Color GREY = new Color(90, 90, 90);

    @Test
    void drawsAReturnedBoxAtItsCoordinatesOnThePanel() {
        Reply reply = reply(new Box(100, 200, 150, 150));
        WindowView view = view(panel("REST", true, solid(1280, 720, GREY), reply), panel("gRPC", true, null, null));
        BufferedImage picture = new WindowRenderer().render(view);
        Point at = WindowRenderer.imageOrigin(0);
        assertEquals(Theme.BOX.getRGB(), picture.getRGB(at.x + 100, at.y + 275), "left edge");
        assertEquals(Theme.BOX.getRGB(), picture.getRGB(at.x + 250, at.y + 275), "right edge");
        assertEquals(Theme.BOX.getRGB(), picture.getRGB(at.x + 175, at.y + 200), "top edge");
        assertEquals(Theme.BOX.getRGB(), picture.getRGB(at.x + 175, at.y + 350), "bottom edge");
        assertEquals(GREY.getRGB(), picture.getRGB(at.x + 175, at.y + 275), "inside the box: the frame");
        assertEquals(GREY.getRGB(), picture.getRGB(at.x + 95, at.y + 275), "outside the box: the frame");
    }

    @Test
    void drawsBoxesInTheGrpcPanelToo() {
        Reply reply = reply(new Box(300, 50, 100, 100));
        WindowView view = view(panel("REST", true, null, null), panel("gRPC", true, solid(1280, 720, GREY), reply));
        BufferedImage picture = new WindowRenderer().render(view);
        Point at = WindowRenderer.imageOrigin(1);
        assertEquals(Theme.BOX.getRGB(), picture.getRGB(at.x + 300, at.y + 100));
        assertEquals(GREY.getRGB(), picture.getRGB(at.x + 350, at.y + 100));
    }

    @Test
    void showsTheCentreSquareOfTheFrameTheServersDetectIn() {
        BufferedImage frame = solid(1280, 720, Color.RED);
        Graphics2D g = frame.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(280, 0, 720, 720); // the centre square
        g.dispose();
        BufferedImage picture = new WindowRenderer().render(view(panel("REST", true, frame, reply()),
                panel("gRPC", true, null, null)));
        Point at = WindowRenderer.imageOrigin(0);
        for (int x : new int[] {0, 359, 719}) {
            assertEquals(Color.GREEN.getRGB(), picture.getRGB(at.x + x, at.y + 700), "column " + x);
        }
    }

    @Test
    void aDisabledPanelShowsItsNoticeInsteadOfTheFrame() {
        PanelView rest = panel("REST", false, solid(1280, 720, Color.RED), reply());
        PanelView grpc = panel("gRPC stream", false, solid(1280, 720, Color.RED), reply());
        assertEquals("REST disabled, press 1", WindowRenderer.disabledNotice(rest, "1"));
        assertEquals("gRPC disabled, press 2", WindowRenderer.disabledNotice(grpc, "2"));

        BufferedImage picture = new WindowRenderer().render(view(rest, grpc));
        for (int panel = 0; panel < 2; panel++) {
            Point at = WindowRenderer.imageOrigin(panel);
            int red = 0;
            int text = 0;
            for (int y = 0; y < WindowRenderer.SIDE; y++) {
                for (int x = 0; x < WindowRenderer.SIDE; x++) {
                    int rgb = picture.getRGB(at.x + x, at.y + y);
                    red += rgb == Color.RED.getRGB() ? 1 : 0;
                    text += rgb != Theme.SURFACE.getRGB() ? 1 : 0;
                }
            }
            assertEquals(0, red, "the frame is not drawn on a disabled panel");
            assertTrue(text > 500, "the notice is drawn: " + text + " pixels");
        }
    }

    @Test
    void rendersAtTheWindowsNaturalSize() {
        BufferedImage picture = new WindowRenderer().render(view(panel("REST", true, null, null),
                panel("gRPC", true, null, null)));
        assertEquals(WindowRenderer.WIDTH, picture.getWidth());
        assertEquals(WindowRenderer.HEIGHT, picture.getHeight());
    }

    static PanelView panel(String protocol, boolean enabled, BufferedImage image, Reply reply) {
        LatencyMetrics metrics = new LatencyMetrics();
        metrics.record(12.5, 0);
        metrics.record(14.5, 33_000_000);
        return new PanelView(protocol, "localhost", enabled, image, image == null ? 0 : 7, reply, "", false,
                false, false, 166, metrics.snapshot());
    }

    static WindowView view(PanelView rest, PanelView grpc) {
        return new WindowView("test frames", "same frames to both", Controls.Mode.BOTH, false, rest, grpc);
    }

    static Reply reply(Box... boxes) {
        List<Float> scores = Collections.nCopies(boxes.length, 0.9f);
        return new Reply(boxes.length == 0 ? "NO_DETECTION" : "OK", List.of(boxes), scores, boxes.length, 20, "", "",
                "", 1000, 100);
    }

    static BufferedImage solid(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }
}

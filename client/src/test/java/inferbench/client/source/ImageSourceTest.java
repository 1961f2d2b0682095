package inferbench.client.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.DetectionResult;
import inferbench.pipeline.PipelineSettings;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourceTest {
    private static final int FPS = 30;

    @Test
    void givesWebcamSizedFramesThatDifferFromOneToTheNext() throws IOException {
        try (ImageSource source = ImageSource.sample("sample photo", FPS)) {
            byte[] previous = null;
            for (int i = 0; i < 5; i++) {
                BufferedImage frame = source.next();
                assertEquals(1280, frame.getWidth());
                assertEquals(720, frame.getHeight());
                assertEquals(BufferedImage.TYPE_3BYTE_BGR, frame.getType());
                byte[] pixels = ((DataBufferByte) frame.getRaster().getDataBuffer()).getData();
                if (previous != null) {
                    assertFalse(Arrays.equals(previous, pixels), "frame " + i + " is the same as the one before");
                }
                previous = pixels;
            }
        }
    }

    @Test
    void keepsExactlyOneFaceThroughTheWholeSweep(@TempDir Path storage) throws Exception {
        DetectionPipeline pipeline = DetectionPipeline.load(PipelineSettings.defaults(),
                new ResultStore(storage, Clock.systemUTC()));
        try (ImageSource source = ImageSource.sample("sample photo", FPS)) {
            source.next();
            // the sweep goes and comes back the same way, so its first half holds every position
            long half = ImageSource.LOOP_FRAMES / 2;
            assertTrue(samePixels(source.render(half - 100), source.render(half + 100)),
                    "the way back retraces the way out");
            // every 24th frame of that half, and its far end (each frame was checked once, offline, the same way)
            for (long frame = 0; frame <= half; frame += 24) {
                byte[] jpeg = MatImages.encodeJpeg(source.render(frame), 95);
                DetectionResult result = pipeline.process(jpeg, false, "test");
                assertEquals(1, result.detectionCount(), "faces on frame " + frame);
            }
        }
    }

    @Test
    void loopsOverTheImagesOfAFolderInNameOrder(@TempDir Path folder) throws IOException {
        writeSolid(folder.resolve("b.png"), Color.BLUE);
        writeSolid(folder.resolve("a.png"), Color.RED);
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        int fps = 1; // one frame per second: each image lasts SECONDS_PER_IMAGE frames
        try (ImageSource source = ImageSource.of(folder, fps)) {
            assertTrue(source.description().contains("(2 images)"), source.description());
            Color[] expected = {Color.RED, Color.BLUE, Color.RED};
            for (Color color : expected) {
                BufferedImage frame = null;
                for (int i = 0; i < ImageSource.SECONDS_PER_IMAGE; i++) {
                    frame = source.next();
                }
                assertEquals(color.getRGB(), frame.getRGB(640, 360));
            }
        }
    }

    @Test
    void saysWhenAFolderHasNoImages(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        IOException e = assertThrows(IOException.class, () -> ImageSource.of(folder, FPS));
        assertTrue(e.getMessage().startsWith("no images (.jpg, .jpeg, .png, .bmp, .gif) in the folder"), e.getMessage());
    }

    @Test
    void namesAFileItCannotRead(@TempDir Path folder) throws IOException {
        Path broken = folder.resolve("broken.png");
        Files.writeString(broken, "not a png");
        IOException e = assertThrows(IOException.class, () -> ImageSource.of(broken, FPS));
        assertEquals("cannot read the image " + broken + " (supported: JPEG, PNG, BMP, GIF)", e.getMessage());
        assertEquals("no such file or folder: " + folder.resolve("missing"),
                assertThrows(IOException.class, () -> ImageSource.of(folder.resolve("missing"), FPS)).getMessage());
    }

    private static void writeSolid(Path file, Color color) throws IOException {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        return Arrays.equals(((DataBufferByte) a.getRaster().getDataBuffer()).getData(),
                ((DataBufferByte) b.getRaster().getDataBuffer()).getData());
    }
}

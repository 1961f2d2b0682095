package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.pipeline.OpenCv;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

class FrameSetsTest {
    private static final FrameSize SMALL = new FrameSize(320, 240);

    @Test
    void anImageFileBecomesOneFrameOfTheSizeMeasured(@TempDir Path dir) throws IOException {
        Path photo = write(dir.resolve("portrait.png"), 300, 400);

        List<FrameSets.Picture> pictures = FrameSets.pictures(photo.toString(), SMALL);

        assertEquals(1, pictures.size());
        assertEquals("portrait.png", pictures.get(0).name());
        assertSize(SMALL, pictures.get(0).jpeg());
    }

    @Test
    void aFolderGivesItsImagesByNameAndSkipsEverythingElse(@TempDir Path dir) throws IOException {
        write(dir.resolve("b.jpg"), 640, 360);
        write(dir.resolve("a.png"), 200, 200);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.createDirectory(dir.resolve("c.png")); // a folder named like an image

        List<FrameSets.Picture> pictures = FrameSets.pictures(dir.toString(), FrameSize.WEBCAM);

        assertEquals(List.of("a.png", "b.jpg"), pictures.stream().map(FrameSets.Picture::name).toList());
        pictures.forEach(p -> assertSize(FrameSize.WEBCAM, p.jpeg()));
    }

    @Test
    void aFolderWithoutImagesAndAPathThatIsNotThereAreRefusedSayingWhy(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not an image");

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> FrameSets.pictures(dir.toString(), SMALL));
        assertTrue(empty.getMessage().contains("no images"), empty.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--frames", dir.resolve("nothing-here").toString()}));
        assertTrue(missing.getMessage().contains("neither default, busy nor an image file or folder"),
                missing.getMessage());
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedWithItsName(@TempDir Path dir) throws IOException {
        Path fake = Files.writeString(dir.resolve("fake.jpg"), "this is text");

        Exception e = assertThrows(RuntimeException.class, () -> FrameSets.pictures(fake.toString(), SMALL));
        assertTrue(e.getMessage().contains("fake.jpg"), e.getMessage());
    }

    @Test
    void theBusySetIsTwoCrowdFramesOfNineFacesEach(@TempDir Path storage) {
        Floor floor = Floor.of(List.of(), 1, storage, false, false);

        Frames busy = Frames.of(FrameSets.BUSY, FrameSize.WEBCAM, floor::answer);

        assertEquals(List.of("crowd", "crowd mirrored"), busy.frames().stream().map(Frames.Frame::name).toList());
        for (Frames.Frame frame : busy.frames()) {
            assertSize(FrameSize.WEBCAM, frame.jpeg());
            assertEquals("9 faces", frame.expected().describe(), frame.name());
        }
    }

    @Test
    void sentAsTheCentreSquareEachFrameIsTheSquareThePipelineCropsInFewerBytes() {
        List<FrameSets.Picture> full = FrameSets.pictures(FrameSets.DEFAULT, FrameSize.WEBCAM);
        List<FrameSets.Picture> centre = FrameSets.pictures(FrameSets.DEFAULT, FrameSize.WEBCAM, Sent.CENTRE);

        for (int i = 0; i < full.size(); i++) {
            assertSize(new FrameSize(720, 720), centre.get(i).jpeg());
            assertTrue(centre.get(i).jpeg().length < full.get(i).jpeg().length, centre.get(i).name());
        }
    }

    private static Path write(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        String format = file.toString().endsWith(".png") ? "png" : "jpg";
        assertTrue(ImageIO.write(image, format, file.toFile()));
        return file;
    }

    private static void assertSize(FrameSize size, byte[] jpeg) {
        OpenCv.load();
        Mat image = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
        assertFalse(image.empty(), "not a decodable JPEG");
        assertEquals(size.width(), image.cols());
        assertEquals(size.height(), image.rows());
    }
}

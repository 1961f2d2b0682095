package inferbench.client.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.pipeline.OpenCv;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.videoio.VideoWriter;

/** Video files and webcams through OpenCV, and what --source does with them. */
class CaptureSourceTest {
    @Test
    void readsAnMjpegAviAndStartsAgainAtItsEnd(@TempDir Path folder) throws IOException {
        Path video = folder.resolve("clip.avi");
        Scalar[] bgr = {new Scalar(0, 0, 255), new Scalar(0, 255, 0), new Scalar(255, 0, 0)};
        writeMjpegAvi(video, bgr);
        try (FrameSource source = FrameSources.open("video:" + video, 30)) {
            assertEquals("video clip.avi", source.description());
            Color[] expected = {Color.RED, Color.GREEN, Color.BLUE, Color.RED};
            for (Color color : expected) {
                BufferedImage frame = source.next();
                assertEquals(320, frame.getWidth());
                assertClose(color, new Color(frame.getRGB(160, 120)));
            }
        }
    }

    @Test
    void explainsWhichVideosThisOpenCvCanRead(@TempDir Path folder) throws IOException {
        Path mp4 = folder.resolve("clip.mp4");
        Files.write(mp4, new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'});
        IOException e = assertThrows(IOException.class, () -> FrameSources.open("video:" + mp4, 30));
        assertEquals("OpenCV cannot read the video " + mp4 + ". Supported: " + CaptureSource.VIDEO_FORMATS,
                e.getMessage());
        assertTrue(e.getMessage().contains("MJPEG .avi only"));
        assertEquals("no such video file: " + folder.resolve("none.avi"),
                assertThrows(IOException.class, () -> FrameSources.open("video:" + folder.resolve("none.avi"), 30))
                        .getMessage());
    }

    @Test
    void fallsBackToTheSamplePhotoWhenNoWebcamOpens() throws IOException {
        try (FrameSource source = FrameSources.open("webcam:99", 30)) {
            assertInstanceOf(ImageSource.class, source);
            assertEquals("sample photo: no webcam could be opened (webcam:99)", source.description());
            assertEquals(1280, source.next().getWidth());
        }
    }

    @Test
    void refusesAMalformedSource() {
        assertEquals("--source 'camera' is not one of webcam[:N], video:PATH, images:PATH, sample",
                assertThrows(IllegalArgumentException.class, () -> FrameSources.open("camera", 30)).getMessage());
        assertEquals("--source webcam:N needs a camera number 0, 1, ..., got 'x'",
                assertThrows(IllegalArgumentException.class, () -> FrameSources.open("webcam:x", 30)).getMessage());
        assertEquals("--source 'images:' needs a path after the colon",
                assertThrows(IllegalArgumentException.class, () -> FrameSources.open("images:", 30)).getMessage());
    }

    @Test
    void convertsBetweenMatAndImageWithoutChangingAPixel() {
        OpenCv.load();
        Mat mat = new Mat(2, 3, CvType.CV_8UC3, new Scalar(10, 20, 30)); // blue 10, green 20, red 30
        BufferedImage image = MatImages.toImage(mat);
        assertEquals(new Color(30, 20, 10).getRGB(), image.getRGB(2, 1));
        Mat back = MatImages.toMat(image);
        assertEquals(10, back.get(1, 2)[0]);
        assertEquals(30, back.get(1, 2)[2]);
        mat.release();
        back.release();
    }

    private static void writeMjpegAvi(Path file, Scalar[] colours) {
        OpenCv.load();
        VideoWriter writer = new VideoWriter(file.toString(), VideoWriter.fourcc('M', 'J', 'P', 'G'), 10,
                new Size(320, 240));
        assertTrue(writer.isOpened(), "OpenCV's built-in MJPEG writer did not open");
        for (Scalar colour : colours) {
            Mat frame = new Mat(240, 320, CvType.CV_8UC3, colour);
            writer.write(frame);
            frame.release();
        }
        writer.release();
    }

    private static void assertClose(Color expected, Color actual) {
        int distance = Math.abs(expected.getRed() - actual.getRed()) + Math.abs(expected.getGreen() - actual.getGreen())
                + Math.abs(expected.getBlue() - actual.getBlue());
        assertTrue(distance < 30, "expected about " + expected + ", got " + actual);
    }
}

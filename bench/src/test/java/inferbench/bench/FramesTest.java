package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import inferbench.samples.SampleFrames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

class FramesTest {
    @Test
    void aPaddedJpegHasTheAskedLengthAndDecodesToTheSamePixels() {
        byte[] jpeg = SampleFrames.noFaceJpeg();
        // 65,539 more bytes: one whole comment segment would leave 2, too few for another.
        for (int extra : new int[] {0, 4, 65_539, 200_000}) {
            byte[] padded = Frames.padded(jpeg, jpeg.length + extra);

            assertEquals(jpeg.length + extra, padded.length);
            Mat original = decode(jpeg);
            Mat decoded = decode(padded);
            assertEquals(original.size(), decoded.size());
            assertEquals(0.0, Core.norm(original, decoded, Core.NORM_INF), "pixels differ after padding by " + extra);
        }
    }

    @Test
    void paddingByOneToThreeBytesOrShrinkingIsRefused() {
        byte[] jpeg = SampleFrames.noFaceJpeg();

        assertThrows(IllegalArgumentException.class, () -> Frames.padded(jpeg, jpeg.length + 3));
        assertThrows(IllegalArgumentException.class, () -> Frames.padded(jpeg, jpeg.length - 1));
    }

    @Test
    void theWarmUpSendsEachRealFrameThenSevenGreyFramesOfTheFaceFramesSize(@TempDir Path storage) {
        Floor floor = Floor.of(List.of(), 1, storage, false, false);
        Frames real = Frames.of(FrameSets.DEFAULT, FrameSize.WEBCAM, floor::answer);

        Frames warmUp = real.warmUp(floor::answer);

        assertEquals(2 * Frames.WARMUP_REAL_EVERY, warmUp.frames().size());
        for (int ticket = 0; ticket < warmUp.frames().size(); ticket++) {
            Frames.Frame frame = warmUp.forTicket(ticket);
            if (ticket % Frames.WARMUP_REAL_EVERY == 0) {
                assertEquals(real.forTicket(ticket / Frames.WARMUP_REAL_EVERY), frame);
            } else {
                assertEquals("grey", frame.name());
                assertEquals(real.frames().get(0).jpeg().length, frame.jpeg().length);
                assertEquals("NO_DETECTION", frame.expected().status());
            }
        }
        Mat grey = decode(warmUp.forTicket(1).jpeg());
        assertEquals(FrameSize.WEBCAM.width(), grey.cols());
        assertEquals(FrameSize.WEBCAM.height(), grey.rows());
    }

    private static Mat decode(byte[] jpeg) {
        Mat image = Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
        assertFalse(image.empty(), "not a decodable JPEG");
        return image;
    }
}

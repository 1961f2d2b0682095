package inferbench.client.bench;

import inferbench.common.SampleFrames;
import java.util.List;
import java.util.function.Function;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The frames one size of the benchmark sends, encoded once before any timing starts: the
 * face frame and the no-face frame alternate, so half the requests find a face.
 *
 * <p>Each frame carries the status the in-process pipeline gives it; a server that answers
 * anything else is counted as an error, so a fast wrong answer cannot pass for a fast one.
 */
public record Frames(FrameSize size, List<Frame> frames) {

    public record Frame(String name, byte[] jpeg, String expectedStatus) {
    }

    /**
     * @param statusOf what the reference pipeline answers for a JPEG ("OK", "NO_DETECTION")
     */
    public static Frames of(FrameSize size, Function<byte[], String> statusOf) {
        byte[] face = encode(SampleFrames.faceFrame(size.width(), size.height()));
        byte[] noFace = encode(resized(SampleFrames.noFaceFrame(), size));
        return new Frames(size, List.of(new Frame("face", face, statusOf.apply(face)),
                new Frame("no face", noFace, statusOf.apply(noFace))));
    }

    public Frame forTicket(int ticket) {
        return frames.get(ticket % frames.size());
    }

    private static Mat resized(Mat frame, FrameSize size) {
        if (frame.cols() == size.width() && frame.rows() == size.height()) {
            return frame;
        }
        Mat out = new Mat();
        Imgproc.resize(frame, out, new Size(size.width(), size.height()), 0, 0, Imgproc.INTER_AREA);
        frame.release();
        return out;
    }

    private static byte[] encode(Mat frame) {
        try {
            return SampleFrames.encodeJpeg(frame, SampleFrames.JPEG_QUALITY);
        } finally {
            frame.release();
        }
    }
}

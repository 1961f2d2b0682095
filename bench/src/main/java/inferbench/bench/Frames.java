package inferbench.bench;

import inferbench.client.Frame;
import inferbench.pipeline.OpenCv;
import inferbench.samples.SampleFrames;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
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
    /** In the warm-up, one frame in this many is a real one. */
    static final int WARMUP_REAL_EVERY = 8;

    private static final int MAX_COMMENT_SEGMENT = 2 + 65_535; // the marker, then a length that counts itself

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

    /**
     * The frames of the warm-up: each real frame, then seven copies of a flat grey frame padded
     * with JPEG comment segments to the face frame's exact size. The client, the network and
     * both servers' protocol code handle the grey frame exactly as a real one (the same bytes on
     * the wire, the same parsing and replies), but decoding it and finding no face takes 2.8 ms
     * instead of 7 to 22, so the warm-up makes about three times as many calls per second. The
     * real frames keep the detection path's own code warm.
     */
    public Frames warmUp(Function<byte[], String> statusOf) {
        byte[] flat = encode(grey(size));
        byte[] grey = padded(flat, frames.get(0).jpeg().length);
        Frame greyFrame = new Frame("grey", grey, statusOf.apply(grey));
        List<Frame> mixed = new ArrayList<>();
        for (Frame real : frames) {
            mixed.add(real);
            for (int i = 1; i < WARMUP_REAL_EVERY; i++) {
                mixed.add(greyFrame);
            }
        }
        return new Frames(size, mixed);
    }

    /**
     * The JPEG with comment (COM) segments after its start-of-image marker, {@code length}
     * bytes in all. Decoders skip comments, so it decodes to the same pixels.
     */
    static byte[] padded(byte[] jpeg, int length) {
        int missing = length - jpeg.length;
        if (missing < 0 || (missing > 0 && missing < 4)) {
            throw new IllegalArgumentException("cannot pad a " + jpeg.length + "-byte JPEG to " + length
                    + " bytes: a comment segment takes at least 4");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        out.write(jpeg, 0, 2); // SOI
        while (missing > 0) {
            int segment = Math.min(missing, MAX_COMMENT_SEGMENT);
            if (missing - segment > 0 && missing - segment < 4) {
                segment -= 4; // leave enough for one more segment
            }
            out.write(0xFF);
            out.write(0xFE);
            out.write((segment - 2) >> 8);
            out.write((segment - 2) & 0xFF);
            out.write(new byte[segment - 4], 0, segment - 4);
            missing -= segment;
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    public Frame forTicket(int ticket) {
        return frames.get(ticket % frames.size());
    }

    private static Mat grey(FrameSize size) {
        OpenCv.load();
        return new Mat(size.height(), size.width(), CvType.CV_8UC3, new Scalar(128, 128, 128));
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

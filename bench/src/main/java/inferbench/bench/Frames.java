package inferbench.bench;

import inferbench.pipeline.OpenCv;
import inferbench.samples.SampleFrames;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * The frames of one set at one size, encoded once before any timing starts, sent in turn (the
 * ticket picks the frame).
 *
 * <p>Each frame carries the answer the in-process pipeline gives it; a server that answers
 * anything else gives a wrong answer, counted apart from the right ones, so a fast wrong
 * answer cannot pass for a fast one.
 *
 * @param set         the set's name as given to --frames ("default", "busy" or a path)
 * @param description what the frames are, for the report
 */
public record Frames(String set, String description, FrameSize size, List<Frame> frames) {
    /** In the warm-up, one frame in this many is a real one. */
    static final int WARMUP_REAL_EVERY = 8;

    private static final int MAX_COMMENT_SEGMENT = 2 + 65_535; // the marker, then a length that counts itself

    /** @param inProcessMs the pipeline's own time for it in this JVM (median), NaN until {@link #timed} */
    public record Frame(String name, byte[] jpeg, Expected expected, double inProcessMs) {
    }

    /** The set's pictures with their expected answers; see {@link FrameSets} for what each set is. */
    static Frames of(String set, FrameSize size, Function<byte[], Expected> answer) {
        return of(set, size, answer, Sent.FULL);
    }

    /** The same, each whole or only its centre square. */
    static Frames of(String set, FrameSize size, Function<byte[], Expected> answer, Sent sent) {
        List<Frame> frames = new ArrayList<>();
        for (FrameSets.Picture picture : FrameSets.pictures(set, size, sent)) {
            frames.add(new Frame(picture.name(), picture.jpeg(), answer.apply(picture.jpeg()), Double.NaN));
        }
        return new Frames(set, FrameSets.description(set), size, List.copyOf(frames));
    }

    /** The same frames, each with its in-process time. */
    Frames timed(ToDoubleFunction<byte[]> inProcessMs) {
        return new Frames(set, description, size, frames.stream().map(f -> new Frame(f.name(), f.jpeg(),
                f.expected(), inProcessMs.applyAsDouble(f.jpeg()))).toList());
    }

    /** "default 1280x720": how the report and the progress lines name these frames. */
    String label() {
        return set + " " + size;
    }

    /**
     * The frames of the warm-up: each real frame, then seven copies of a flat grey frame padded
     * with JPEG comment segments to the first frame's exact size. The client, the network and
     * both servers' protocol code handle the grey frame exactly as a real one (the same bytes on
     * the wire, the same parsing and replies), but decoding it and finding no face is much
     * quicker, so the warm-up makes several times as many calls per second. The real frames
     * keep the detection path's own code warm.
     */
    public Frames warmUp(Function<byte[], Expected> answer) {
        byte[] flat = encode(grey(size));
        byte[] grey = padded(flat, frames.get(0).jpeg().length);
        Frame greyFrame = new Frame("grey", grey, answer.apply(grey), Double.NaN);
        List<Frame> mixed = new ArrayList<>();
        for (Frame real : frames) {
            mixed.add(real);
            for (int i = 1; i < WARMUP_REAL_EVERY; i++) {
                mixed.add(greyFrame);
            }
        }
        return new Frames(set, "warm-up", size, mixed);
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

    /**
     * The same bytes with a frame header (SOF) that declares 65535 x 65535 pixels: a server
     * refuses it from its header, before decoding, so what it costs the server is the protocol's
     * work alone, receiving and answering a frame of that size.
     */
    static byte[] refusedBeforeDecoding(byte[] jpeg) {
        byte[] copy = jpeg.clone();
        for (int i = 2; i + 9 < copy.length && (copy[i] & 0xFF) == 0xFF; ) {
            int marker = copy[i + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                Arrays.fill(copy, i + 5, i + 9, (byte) 0xFF); // height and width, two bytes each
                return copy;
            }
            i += 2 + (((copy[i + 2] & 0xFF) << 8) | (copy[i + 3] & 0xFF));
        }
        throw new IllegalArgumentException("no frame header (SOF) in the JPEG");
    }

    public Frame forTicket(int ticket) {
        return frames.get(ticket % frames.size());
    }

    private static Mat grey(FrameSize size) {
        OpenCv.load();
        return new Mat(size.height(), size.width(), CvType.CV_8UC3, new Scalar(128, 128, 128));
    }

    private static byte[] encode(Mat frame) {
        try {
            return SampleFrames.encodeJpeg(frame, SampleFrames.JPEG_QUALITY);
        } finally {
            frame.release();
        }
    }
}

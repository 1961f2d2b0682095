package inferbench.bench;

import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.OpenCv;
import inferbench.samples.ParityFrames;
import inferbench.samples.SampleFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Whether sending only the centre square changes the answer, on the 24 parity frames (crowds of
 * faces, {@code samples/parity}): each frame decoded, then JPEG-encoded at its own quality whole
 * and as its centre square, as a client encodes what its camera gives either way. For scale, it
 * also asks how often a new JPEG of the whole frame changes the answer the parity file itself gets.
 */
final class CentreSquareParity {
    private static final Pattern QUALITY = Pattern.compile("-q(\\d{1,3})\\.jpg$");

    /**
     * @param squareDiffers  how the square's answer differs from the whole frame's, or ""
     * @param newJpegDiffers how the whole frame's answer differs from the parity file's, or ""
     */
    record Row(String name, int wholeBytes, int squareBytes, String squareDiffers, String newJpegDiffers) {
    }

    private CentreSquareParity() {
    }

    static List<Row> measure(List<ParityFrames.Frame> frames, Function<byte[], Expected> answer) {
        OpenCv.load();
        List<Row> rows = new ArrayList<>();
        for (ParityFrames.Frame frame : frames) {
            Matcher quality = QUALITY.matcher(frame.name());
            if (!quality.find()) {
                throw new IllegalArgumentException(frame.name() + ": the name does not say its JPEG quality (-qNN.jpg)");
            }
            Mat pixels = Imgcodecs.imdecode(new MatOfByte(frame.jpeg()), Imgcodecs.IMREAD_COLOR);
            Mat centre = pixels.submat(DetectionPipeline.centreSquare(pixels.cols(), pixels.rows()));
            try {
                int q = Integer.parseInt(quality.group(1));
                byte[] whole = SampleFrames.encodeJpeg(pixels, q);
                byte[] square = SampleFrames.encodeJpeg(centre, q);
                Expected wholeAnswer = answer.apply(whole);
                rows.add(new Row(frame.name(), whole.length, square.length,
                        wholeAnswer.mismatch(answer.apply(square)),
                        answer.apply(frame.jpeg()).mismatch(wholeAnswer)));
            } finally {
                centre.release();
                pixels.release();
            }
        }
        return rows;
    }

    static String markdown(List<Row> rows) {
        List<Row> differ = rows.stream().filter(r -> !r.squareDiffers().isEmpty()).toList();
        long faces = differ.stream().filter(r -> r.squareDiffers().contains(" faces, expected ")).count();
        return String.format(Locale.ROOT, "\n### The centre square on the parity frames\n\nOn the %d parity frames"
                        + " (crowds of faces at many sizes, `samples/parity`), each decoded and JPEG-encoded again at"
                        + " its own quality, whole and as its centre square (what a client sends either way), the"
                        + " square's answer differs from the whole frame's on %d: a box moved on %d, a face more or"
                        + " fewer on %d. For scale, a new JPEG of the whole frame gets another answer than the parity"
                        + " file itself on %d. The square is %.0f%% of the whole frame's bytes (%s).\n\n%s",
                rows.size(), differ.size(), differ.size() - faces, faces,
                rows.stream().filter(r -> !r.newJpegDiffers().isEmpty()).count(),
                100.0 * rows.stream().mapToLong(Row::squareBytes).sum() / rows.stream().mapToLong(Row::wholeBytes).sum(),
                String.join(", ", bySize(rows)), differ.stream().map(r -> "- " + r.name() + ": " + r.squareDiffers()
                        + "\n").reduce("", String::concat));
    }

    /** "1280x720 56%" per size among the frames' names. */
    private static List<String> bySize(List<Row> rows) {
        List<String> parts = new ArrayList<>();
        for (String size : rows.stream().map(r -> r.name().replaceAll("^.*-(\\d+x\\d+)-.*$", "$1")).distinct()
                .sorted().toList()) {
            Predicate<Row> ofSize = r -> r.name().contains("-" + size + "-");
            parts.add(String.format(Locale.ROOT, "%s %.0f%%", size, 100.0
                    * rows.stream().filter(ofSize).mapToLong(Row::squareBytes).sum()
                    / rows.stream().filter(ofSize).mapToLong(Row::wholeBytes).sum()));
        }
        return parts;
    }
}

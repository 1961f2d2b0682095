package inferbench.bench;

import inferbench.client.transport.Reply;
import inferbench.pipeline.Box;
import inferbench.pipeline.DetectionResult;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The in-process pipeline's answer for one frame: what every server must answer for it. A
 * reply that differs is a wrong answer, however fast it came.
 *
 * <p>Boxes are compared as a set (OpenCV's parallel detection may list them in another order)
 * and to within {@link #TOLERANCE_PX}, so a server that prints floats differently still
 * matches, while a box that moved does not.
 */
public record Expected(String status, List<Box> boxes) {
    /** In the 720x720 space of the boxes. */
    static final double TOLERANCE_PX = 0.5;

    private static final Comparator<Box> ORDER = Comparator.comparingDouble(Box::x).thenComparingDouble(Box::y)
            .thenComparingDouble(Box::w).thenComparingDouble(Box::h);

    public Expected {
        boxes = boxes.stream().sorted(ORDER).toList();
    }

    static Expected of(DetectionResult result) {
        return new Expected(result.status(), result.boxes());
    }

    /** "" when the reply says the same; otherwise how it differs. The reply must be a served one. */
    String mismatch(Reply reply) {
        return mismatch(reply.status(), reply.boxes());
    }

    /** "" when the other answer is the same; otherwise how it differs from this one. */
    String mismatch(Expected other) {
        return mismatch(other.status, other.boxes);
    }

    private String mismatch(String otherStatus, List<Box> otherBoxes) {
        if (!otherStatus.equals(status)) {
            return "status " + otherStatus + ", expected " + status;
        }
        List<Box> got = otherBoxes.stream().sorted(ORDER).toList();
        if (got.size() != boxes.size()) {
            return got.size() + " faces, expected " + boxes.size();
        }
        for (int i = 0; i < got.size(); i++) {
            if (!close(got.get(i), boxes.get(i))) {
                return "box " + describe(got.get(i)) + ", expected " + describe(boxes.get(i));
            }
        }
        return "";
    }

    /** "1 face", "no face", "9 faces". */
    String describe() {
        return boxes.isEmpty() ? "no face" : boxes.size() == 1 ? "1 face" : boxes.size() + " faces";
    }

    private static boolean close(Box a, Box b) {
        return Math.abs(a.x() - b.x()) <= TOLERANCE_PX && Math.abs(a.y() - b.y()) <= TOLERANCE_PX
                && Math.abs(a.w() - b.w()) <= TOLERANCE_PX && Math.abs(a.h() - b.h()) <= TOLERANCE_PX;
    }

    private static String describe(Box b) {
        return String.format(Locale.ROOT, "[%.1f, %.1f, %.1f, %.1f]", b.x(), b.y(), b.w(), b.h());
    }
}

package inferbench.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 24 parity frames and what the original Python server answered for each
 * ({@code samples/parity/}, see PROVENANCE.md): the reference every server of this project
 * must match, count and boxes.
 */
public final class ParityFrames {
    /** In the 720x720 space of the boxes: the original prints floats, so a box equal in 300 space is within this. */
    public static final double TOLERANCE_PX = 0.5;
    private static final String DIR = "/samples/parity/";

    private static final Comparator<float[]> ORDER = Comparator.<float[]>comparingDouble(b -> b[0])
            .thenComparingDouble(b -> b[1]).thenComparingDouble(b -> b[2]).thenComparingDouble(b -> b[3]);

    /** One frame: its file name, its JPEG bytes, and the original's boxes ([x, y, w, h] in 720 space). */
    public record Frame(String name, byte[] jpeg, List<float[]> originalBoxes) {
        /**
         * "" when {@code boxes} is the original's answer (as a set, each coordinate within
         * {@link #TOLERANCE_PX}); otherwise how it differs.
         */
        public String mismatch(List<float[]> boxes) {
            List<float[]> want = originalBoxes.stream().sorted(ORDER).toList();
            List<float[]> got = boxes.stream().sorted(ORDER).toList();
            if (got.size() != want.size()) {
                return name + ": " + got.size() + " faces, the original found " + want.size();
            }
            for (int i = 0; i < got.size(); i++) {
                for (int c = 0; c < 4; c++) {
                    if (Math.abs(got.get(i)[c] - want.get(i)[c]) > TOLERANCE_PX) {
                        return name + ": box " + describe(got.get(i)) + ", the original's " + describe(want.get(i));
                    }
                }
            }
            return "";
        }
    }

    private ParityFrames() {
    }

    /** Every parity frame, by name. */
    public static List<Frame> all() {
        Map<String, Object> answers = asObject(new Json(read("original-answers.json")).value());
        List<Frame> frames = new ArrayList<>();
        for (Map.Entry<String, Object> entry : answers.entrySet()) {
            List<float[]> boxes = new ArrayList<>();
            for (Object box : asList(asObject(entry.getValue()).get("boxes"))) {
                List<Object> xywh = asList(box);
                boxes.add(new float[] {number(xywh.get(0)), number(xywh.get(1)), number(xywh.get(2)), number(xywh.get(3))});
            }
            frames.add(new Frame(entry.getKey(), readBytes("frames/" + entry.getKey()), List.copyOf(boxes)));
        }
        frames.sort(Comparator.comparing(Frame::name));
        return List.copyOf(frames);
    }

    private static String describe(float[] b) {
        return String.format(Locale.ROOT, "[%.1f, %.1f, %.1f, %.1f]", b[0], b[1], b[2], b[3]);
    }

    private static String read(String file) {
        return new String(readBytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(String file) {
        try (InputStream in = ParityFrames.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException(DIR + file + " is missing from the classpath: rebuild with ./build.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DIR + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object value) {
        return (List<Object>) value;
    }

    private static float number(Object value) {
        return ((Double) value).floatValue();
    }

    /**
     * Just enough JSON for the answers file (objects, arrays, plain strings, numbers): the
     * samples module stays free of the project's other modules.
     */
    private static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object value() {
            skipSpace();
            char c = text.charAt(at);
            if (c == '{') {
                Map<String, Object> object = new LinkedHashMap<>();
                at++;
                while (!next('}')) {
                    String key = (String) value();
                    expect(':');
                    object.put(key, value());
                    next(',');
                }
                return object;
            }
            if (c == '[') {
                List<Object> array = new ArrayList<>();
                at++;
                while (!next(']')) {
                    array.add(value());
                    next(',');
                }
                return array;
            }
            if (c == '"') {
                int end = text.indexOf('"', at + 1);
                String s = text.substring(at + 1, end);
                at = end + 1;
                return s;
            }
            int start = at;
            while (at < text.length() && "+-.eE0123456789".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            return Double.parseDouble(text.substring(start, at));
        }

        private boolean next(char c) {
            skipSpace();
            if (text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!next(c)) {
                throw new IllegalStateException("original-answers.json: expected '" + c + "' at " + at);
            }
        }

        private void skipSpace() {
            while (Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }
    }
}

package inferbench.json;

import inferbench.pipeline.Box;
import java.util.List;

/**
 * A small JSON writer (RFC 8259), enough for the REST replies and the CSV's JSON columns.
 *
 * <p>Written by hand so a reader sees every byte the REST server puts on the wire. Usage:
 * {@code new JsonWriter().beginObject().name("status").value("OK").endObject().toString()}.
 * Commas are placed by remembering, per open object or array, whether it has a member yet.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder(128);
    private long firstFlags = 1; // bit per nesting level: 1 = nothing written at that level yet
    private int depth;
    private boolean afterName;

    public JsonWriter beginObject() {
        return open('{');
    }

    public JsonWriter endObject() {
        return close('}');
    }

    public JsonWriter beginArray() {
        return open('[');
    }

    public JsonWriter endArray() {
        return close(']');
    }

    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        string(value);
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /** JSON has no NaN or Infinity (RFC 8259 section 6), so they are refused, not written. */
    public JsonWriter value(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON cannot represent " + value);
        }
        separate();
        out.append(Double.toString(value)); // e.g. 38.25 or 1.0E-5: both valid JSON numbers
        return this;
    }

    /**
     * Floats are written with Float.toString, the shortest text that reads back as the same
     * float, so 244.8f is written "244.8" as Python writes it, not "244.8000030517578".
     */
    public JsonWriter value(float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("JSON cannot represent " + value);
        }
        separate();
        out.append(Float.toString(value));
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** {@code [[x,y,w,h],...]}, the "boxes" value of the REST reply and the CSV. */
    public static String boxes(List<Box> boxes) {
        return new JsonWriter().boxArray(boxes).toString();
    }

    /** {@code [0.9,...]}, the "scores" value of the REST reply and the CSV. */
    public static String floats(List<Float> values) {
        return new JsonWriter().floatArray(values).toString();
    }

    public JsonWriter boxArray(List<Box> boxes) {
        beginArray();
        for (Box b : boxes) {
            beginArray().value(b.x()).value(b.y()).value(b.w()).value(b.h()).endArray();
        }
        return endArray();
    }

    public JsonWriter floatArray(List<Float> values) {
        beginArray();
        for (float v : values) {
            value(v);
        }
        return endArray();
    }

    private JsonWriter open(char bracket) {
        separate();
        out.append(bracket);
        if (++depth >= 63) {
            throw new IllegalStateException("JSON nested too deeply");
        }
        firstFlags |= 1L << depth;
        return this;
    }

    private JsonWriter close(char bracket) {
        out.append(bracket);
        firstFlags &= ~(1L << depth);
        depth--;
        return this;
    }

    /** Writes the comma before every member but the first at this level (not after a name). */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        long bit = 1L << depth;
        if ((firstFlags & bit) == 0 && depth > 0) {
            out.append(',');
        }
        firstFlags &= ~bit;
    }

    /** RFC 8259 section 7: escape the quote, the backslash and every control character. */
    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

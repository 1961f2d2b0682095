package inferbench.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small JSON reader (RFC 8259), the counterpart of common's JsonWriter: the client, the
 * benchmark and the tests read the REST replies with it, so no JSON library is needed. It lives
 * here, beside the sample frames, because no server uses it.
 *
 * <p>Values become plain Java objects: object to {@code Map<String, Object>} (members in
 * document order), array to {@code List<Object>}, string to {@code String}, every number to
 * {@code Double}, true/false to {@code Boolean}, null to {@code null}. A recursive-descent
 * parser over the text; malformed input throws {@link IllegalArgumentException} with the
 * character position and what was expected there, never a half-read value.
 */
public final class JsonReader {
    /** Deep enough for any reply; stops a "[[[[..." input from overflowing the stack. */
    public static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private JsonReader(String text) {
        this.text = text;
    }

    /** Parses one JSON value; only whitespace may follow it. */
    public static Object parse(String json) {
        JsonReader reader = new JsonReader(json);
        reader.skipWhitespace();
        Object value = reader.value();
        reader.skipWhitespace();
        if (reader.pos < json.length()) {
            throw reader.error("unexpected '" + json.charAt(reader.pos) + "' after the end of the JSON value");
        }
        return value;
    }

    /** Parses text that must be a JSON object, such as a REST reply. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String json) {
        Object value = parse(json);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected '" + c + "', expected a value");
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> members = new LinkedHashMap<>();
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return members;
        }
        while (true) {
            if (peek() != '"') {
                throw error("expected a member name in double quotes");
            }
            String name = string();
            skipWhitespace();
            expect(':', "after the member name");
            skipWhitespace();
            members.put(name, value()); // RFC 8259 4: names SHOULD be unique; the last one wins, as in Python
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                skipWhitespace();
            } else {
                expect('}', "or ',' after an object member");
                depth--;
                return members;
            }
        }
    }

    private List<Object> array() {
        enter();
        List<Object> items = new ArrayList<>();
        pos++; // '['
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return items;
        }
        while (true) {
            items.add(value());
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                skipWhitespace();
            } else {
                expect(']', "or ',' after an array element");
                depth--;
                return items;
            }
        }
    }

    /**
     * RFC 8259 section 7. A \\u escape gives one UTF-16 unit, so a surrogate pair written as two
     * escapes (\\ud83d\\ude00) becomes the one character it encodes.
     */
    private String string() {
        int start = pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("malformed JSON at position " + start + ": unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("control character U+" + String.format("%04X", (int) c) + " must be escaped in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unterminated escape sequence");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hexUnit());
                default -> {
                    pos--;
                    throw error("invalid escape '\\" + e + "'");
                }
            }
        }
    }

    private char hexUnit() {
        if (pos + 4 > text.length()) {
            throw error("\\u must be followed by four hex digits");
        }
        int unit = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
                throw error("\\u must be followed by four hex digits");
            }
            unit = unit * 16 + digit;
        }
        pos += 4;
        return (char) unit;
    }

    /** RFC 8259 section 6: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, checked before parsing. */
    private Double number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
        }
        return Double.valueOf(text.substring(start, pos));
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected '" + text.charAt(pos) + "', expected a value");
        }
        pos += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char c, String context) {
        if (peek() != c) {
            throw error(pos >= text.length()
                    ? "unexpected end of input, expected '" + c + "' " + context
                    : "expected '" + c + "' " + context + ", found '" + text.charAt(pos) + "'");
        }
        pos++;
    }

    /** RFC 8259 section 2: only space, tab, line feed and carriage return are whitespace. */
    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("malformed JSON at position " + pos + ": " + message);
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        return value instanceof List ? "an array" : "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }
}

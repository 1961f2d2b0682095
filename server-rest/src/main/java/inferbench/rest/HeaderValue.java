package inferbench.rest;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A header value with parameters: {@code multipart/form-data; boundary="xyz"} or
 * {@code form-data; name="file"; filename="a;b.jpg"}.
 *
 * <p>Grammar of RFC 9110 section 5.6.6: {@code value *( OWS ";" OWS name "=" (token / quoted-string) )}.
 * Inside a quoted string (RFC 9110 section 5.6.4) a ';' is data, not a separator, and a
 * backslash makes the next character literal. Parameter names are case-insensitive, so they are
 * kept in lower case. Parsing never fails (an unterminated quote runs to the end of the header):
 * the callers check the values they need and refuse what is missing.
 */
record HeaderValue(String value, Map<String, String> params) {

    /** @param header the raw header text, or null for an absent header */
    static HeaderValue parse(String header) {
        String text = header == null ? "" : header;
        int semicolon = text.indexOf(';');
        String value = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
        Map<String, String> params = new HashMap<>();
        int pos = semicolon < 0 ? text.length() : semicolon + 1;
        while (pos < text.length()) {
            int nameEnd = pos;
            while (nameEnd < text.length() && text.charAt(nameEnd) != '=' && text.charAt(nameEnd) != ';') {
                nameEnd++;
            }
            String name = text.substring(pos, nameEnd).trim().toLowerCase(Locale.ROOT);
            if (nameEnd == text.length() || text.charAt(nameEnd) == ';') { // a bare name: not a parameter
                pos = nameEnd + 1;
                continue;
            }
            StringBuilder paramValue = new StringBuilder();
            pos = readValue(text, skipSpaces(text, nameEnd + 1), paramValue);
            if (!name.isEmpty()) {
                params.putIfAbsent(name, paramValue.toString());
            }
        }
        return new HeaderValue(value, Map.copyOf(params));
    }

    /** The parameter's value (names are case-insensitive), or null if absent. */
    String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** The value in lower case: media types and disposition types are case-insensitive. */
    String lowerCaseValue() {
        return value.toLowerCase(Locale.ROOT);
    }

    /** Reads a token or a quoted string starting at {@code pos}; returns the position after the next ';'. */
    private static int readValue(String text, int pos, StringBuilder out) {
        if (pos < text.length() && text.charAt(pos) == '"') {
            pos++;
            while (pos < text.length() && text.charAt(pos) != '"') {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) { // quoted-pair: the next character is literal
                    c = text.charAt(pos++);
                }
                out.append(c);
            }
            int next = text.indexOf(';', pos);
            return next < 0 ? text.length() : next + 1;
        }
        int end = text.indexOf(';', pos);
        end = end < 0 ? text.length() : end;
        out.append(text.substring(pos, end).stripTrailing());
        return end + 1;
    }

    private static int skipSpaces(String text, int pos) {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
        return pos;
    }
}

package inferbench.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a {@code multipart/form-data} body (RFC 7578) into its parts, working on bytes.
 *
 * <p>The framing is RFC 2046 section 5.1.1:
 * <pre>
 *   [preamble CRLF] "--" boundary *LWSP CRLF
 *   part-headers CRLF content                     (the CRLF before a delimiter belongs to it)
 *   CRLF "--" boundary *LWSP CRLF                 (a delimiter: another part follows)
 *   ...
 *   CRLF "--" boundary "--" [anything]            (the close delimiter, then an ignored epilogue)
 * </pre>
 * The body is already in memory and at most the server's body limit, so the parser never
 * reads or buffers anything more: parts are views of the body, not copies. Part headers are
 * bounded ({@link #MAX_PART_HEADER_BYTES}) and so is the number of parts ({@link #MAX_PARTS}).
 * Every malformed body ends in an {@link HttpError} 400.
 */
final class MultipartParser {
    /** All header lines of one part; real ones are about 100 bytes. */
    static final int MAX_PART_HEADER_BYTES = 8 * 1024;
    static final int MAX_PARTS = 100;
    /** RFC 2046 section 5.1.1: a boundary is 1 to 70 characters. */
    static final int MAX_BOUNDARY_LENGTH = 70;

    private static final byte[] CRLF = {'\r', '\n'};

    record Part(String name, String filename, String contentType, ByteBuffer content) {
    }

    private final byte[] body;
    private final byte[] dashBoundary; // "--" boundary
    private final byte[] delimiter;    // CRLF "--" boundary
    private int pos;

    private MultipartParser(byte[] body, String boundary) {
        this.body = body;
        this.dashBoundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The parts in body order; the boundary is the one in the request's Content-Type. */
    static List<Part> parse(byte[] body, HeaderValue contentType) throws HttpError {
        return new MultipartParser(body, boundary(contentType)).parts();
    }

    private static String boundary(HeaderValue contentType) throws HttpError {
        String boundary = contentType.param("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw HttpError.badRequest("multipart body without a boundary: Content-Type needs a boundary parameter");
        }
        if (boundary.length() > MAX_BOUNDARY_LENGTH || !boundary.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw HttpError.badRequest("invalid multipart boundary: it must be 1 to 70 ASCII characters (RFC 2046)");
        }
        return boundary;
    }

    private List<Part> parts() throws HttpError {
        skipOpeningBoundary();
        List<Part> parts = new ArrayList<>();
        while (true) {
            if (parts.size() == MAX_PARTS) {
                throw HttpError.badRequest("malformed multipart body: more than " + MAX_PARTS + " parts");
            }
            Map<String, String> headers = readPartHeaders();
            int contentStart = pos;
            int contentEnd = ByteSearch.indexOf(body, delimiter, contentStart, body.length);
            if (contentEnd < 0) {
                throw HttpError.badRequest("malformed multipart body: missing closing boundary (truncated body?)");
            }
            parts.add(part(headers, contentStart, contentEnd));
            pos = contentEnd + delimiter.length;
            if (skip("--")) {
                return parts; // close delimiter; the epilogue after it is ignored (RFC 2046)
            }
            endBoundaryLine();
        }
    }

    /** Past the first "--boundary" line: at the very start, or after a preamble and its CRLF. */
    private void skipOpeningBoundary() throws HttpError {
        if (!startsWith(dashBoundary, 0)) {
            int delimiterAt = ByteSearch.indexOf(body, delimiter, 0, body.length);
            if (delimiterAt < 0) {
                throw HttpError.badRequest("malformed multipart body: the boundary from Content-Type never occurs");
            }
            pos = delimiterAt + CRLF.length;
        }
        pos += dashBoundary.length;
        if (skip("--")) {
            throw HttpError.badRequest("malformed multipart body: it has no parts");
        }
        endBoundaryLine();
    }

    /**
     * After a boundary: optional transport padding (spaces and tabs, which RFC 2046 tells
     * receivers to ignore), then CRLF. Anything else means the "boundary" was only the start
     * of a longer line, which a conforming sender never puts in content.
     */
    private void endBoundaryLine() throws HttpError {
        while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t')) {
            pos++;
        }
        if (!skip("\r\n")) {
            throw HttpError.badRequest("malformed multipart body: a boundary line must end with CRLF");
        }
    }

    /** Header lines up to the empty line (RFC 2046: a part may have no headers at all). */
    private Map<String, String> readPartHeaders() throws HttpError {
        int limit = (int) Math.min(body.length, (long) pos + MAX_PART_HEADER_BYTES);
        Map<String, String> headers = new HashMap<>();
        while (true) {
            int lineEnd = ByteSearch.indexOf(body, CRLF, pos, limit);
            if (lineEnd < 0) {
                throw HttpError.badRequest(limit < body.length
                        ? "malformed multipart body: part headers too large (over " + MAX_PART_HEADER_BYTES + " bytes)"
                        : "malformed multipart body: missing closing boundary (the body ends in part headers)");
            }
            if (lineEnd == pos) {
                pos += CRLF.length;
                return headers;
            }
            // RFC 7578 section 5.1: header values may carry UTF-8 (file names)
            String line = new String(body, pos, lineEnd - pos, StandardCharsets.UTF_8);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw HttpError.badRequest("malformed multipart body: part header line without a name and ':'");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            pos = lineEnd + CRLF.length;
        }
    }

    private Part part(Map<String, String> headers, int start, int end) {
        HeaderValue disposition = HeaderValue.parse(headers.get("content-disposition"));
        // RFC 7578 section 4.4: a part without Content-Type is text/plain
        String contentType = headers.getOrDefault("content-type", "text/plain");
        // a view, not a copy, and not read-only: the pipeline hands the array itself to OpenCV
        ByteBuffer content = ByteBuffer.wrap(body, start, end - start).slice();
        return new Part(disposition.param("name"), disposition.param("filename"), contentType, content);
    }

    private boolean skip(String expected) {
        byte[] bytes = expected.getBytes(StandardCharsets.ISO_8859_1);
        if (!startsWith(bytes, pos)) {
            return false;
        }
        pos += bytes.length;
        return true;
    }

    private boolean startsWith(byte[] prefix, int at) {
        return at + prefix.length <= body.length
                && Arrays.equals(body, at, at + prefix.length, prefix, 0, prefix.length);
    }
}

package inferbench.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** multipart/form-data bodies, built byte by byte as real clients send them. */
final class Forms {
    /** The boundary style of Python requests (urllib3): 32 hex digits. */
    static final String PYTHON_BOUNDARY = "9b4a5c0e3f1d4e8a9b2c7d6e5f4a3b21";
    /** The boundary style of curl: 24 dashes and 16 hex digits. */
    static final String CURL_BOUNDARY = "------------------------d74496d66958873e";

    private Forms() {
    }

    static String contentType(String boundary) {
        return "multipart/form-data; boundary=" + boundary;
    }

    /**
     * Exactly what Python requests sends for
     * {@code files={"file": ("frame.jpg", jpeg, "image/jpeg")}}, and curl for
     * {@code -F file=@frame.jpg;type=image/jpeg}: the two differ only in the boundary.
     */
    static byte[] fileForm(String boundary, byte[] jpeg) {
        return concat(text("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"frame.jpg\"\r\n"
                        + "Content-Type: image/jpeg\r\n\r\n"),
                jpeg,
                text("\r\n--" + boundary + "--\r\n"));
    }

    /** One part: its boundary line, headers (each without CRLF), blank line and content, and the CRLF that ends it. */
    static byte[] part(String boundary, byte[] content, String... headers) {
        StringBuilder head = new StringBuilder("--" + boundary + "\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        return concat(text(head.toString()), content, text("\r\n"));
    }

    static byte[] close(String boundary) {
        return text("--" + boundary + "--\r\n");
    }

    static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }
}

package inferbench.client.transport;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code multipart/form-data} body (RFC 7578) with one part, the JPEG in the field
 * {@code file}, laid out byte for byte as Python {@code requests} sends it, so the REST server
 * sees exactly what the original client sent:
 *
 * <pre>
 * --BOUNDARY\r\n
 * Content-Disposition: form-data; name="file"; filename="frame.jpg"\r\n
 * Content-Type: image/jpeg\r\n
 * \r\n
 * JPEG BYTES\r\n
 * --BOUNDARY--\r\n
 * </pre>
 *
 * <p>The line before each boundary ends in CRLF, and that CRLF belongs to the boundary
 * (RFC 2046 5.1.1), so the part's content is exactly the JPEG bytes.
 */
public final class MultipartBody {
    public static final String FIELD = "file";
    public static final String FILENAME = "frame.jpg";

    private final String boundary;
    private final byte[] bytes;

    private MultipartBody(String boundary, byte[] bytes) {
        this.boundary = boundary;
        this.bytes = bytes;
    }

    /**
     * A body with a fresh random boundary: 32 hex digits, 128 random bits, as {@code requests}
     * makes it. RFC 2046 requires that the boundary does not occur in the content; a random
     * 128-bit string cannot realistically occur in a frame, so the JPEG is not scanned for it.
     */
    public static MultipartBody of(byte[] jpeg) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return withBoundary(jpeg, String.format("%016x%016x", random.nextLong(), random.nextLong()));
    }

    /** A body with a given boundary (1 to 70 characters, RFC 2046 5.1.1); tests use a fixed one. */
    public static MultipartBody withBoundary(byte[] jpeg, String boundary) {
        if (boundary.isEmpty() || boundary.length() > 70) {
            throw new IllegalArgumentException("a multipart boundary has 1 to 70 characters, got " + boundary.length());
        }
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"" + FIELD + "\"; filename=\"" + FILENAME + "\"\r\n"
                + "Content-Type: image/jpeg\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + jpeg.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(jpeg, 0, body, head.length, jpeg.length);
        System.arraycopy(tail, 0, body, head.length + jpeg.length, tail.length);
        return new MultipartBody(boundary, body);
    }

    public String boundary() {
        return boundary;
    }

    /** The value of the request's Content-Type header. */
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The whole body; the array is not copied, do not change it. */
    public byte[] bytes() {
        return bytes;
    }
}

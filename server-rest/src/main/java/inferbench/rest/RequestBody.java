package inferbench.rest;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body into memory, never more than the server's limit.
 *
 * <p>The JDK's HttpServer has already checked the framing (RFC 9112 section 6: a valid
 * Content-Length, or Transfer-Encoding: chunked, never both) and hands over a stream that ends
 * where the body ends. A body declared too large is refused before a byte of it is read; a
 * chunked body declares nothing, so its size is counted while reading.
 */
final class RequestBody {
    private RequestBody() {
    }

    static byte[] read(HttpExchange exchange, long limit) throws IOException, HttpError {
        long declared = declaredLength(exchange);
        if (declared > limit) {
            throw HttpError.tooLarge(limit);
        }
        InputStream in = exchange.getRequestBody();
        if (declared >= 0) {
            byte[] body = in.readNBytes((int) declared);
            if (body.length < declared) {
                throw new IOException("the client closed the connection after " + body.length + " of "
                        + declared + " body bytes");
            }
            return body;
        }
        byte[] body = in.readNBytes((int) limit);
        if (in.read() != -1) {
            throw HttpError.tooLarge(limit);
        }
        return body;
    }

    /**
     * Reads and drops the body, so the connection can carry the next request. Returns false
     * when the body is over the limit: the caller then closes the connection instead.
     */
    static boolean discard(HttpExchange exchange, long limit) throws IOException {
        if (declaredLength(exchange) > limit) {
            return false;
        }
        InputStream in = exchange.getRequestBody();
        byte[] buffer = new byte[16 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > limit) {
                return false;
            }
        }
        return true;
    }

    /** The Content-Length, or -1 for a chunked body (or none). The JDK has validated the number. */
    private static long declaredLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        return length == null ? -1 : Long.parseLong(length.trim());
    }
}

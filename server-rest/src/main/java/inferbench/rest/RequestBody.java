package inferbench.rest;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;

/**
 * A request body read into memory: never more than the server's limit, its memory taken from the
 * server's {@link BodyMemory} as the bytes arrive and given back by {@link #close}.
 *
 * <p>The JDK's HttpServer has already checked the framing (RFC 9112 section 6: one valid
 * Content-Length, or Transfer-Encoding: chunked, never both; {@link RequestHead} refuses the
 * signed lengths it lets through) and hands over a stream that ends where the body ends. A body
 * declared too large is refused before a byte of it is read; a chunked body declares nothing, so
 * its size is counted while reading.
 *
 * <p>Every body is read to its very end, the read that returns -1: that is how the JDK learns
 * the connection is ready for the next request. It never reads a body on its own
 * ({@link JdkHttpServer} turns its drain off), so a body left unread closes the connection.
 */
final class RequestBody implements AutoCloseable {
    /** A body's first buffer: small, so a client that stalls or trickles holds little memory. */
    static final int FIRST_BUFFER = 64 * 1024;
    /**
     * A refused request's body up to this size (a few webcam frames) is read and dropped, within
     * the body deadline, so the connection stays usable; a larger one closes the connection.
     */
    static final long DISCARD_LIMIT = 1024 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private final BodyMemory memory;
    private byte[] buffer = EMPTY;
    private int length;

    private RequestBody(BodyMemory memory) {
        this.memory = memory;
    }

    static RequestBody read(HttpExchange exchange, long limit, BodyMemory memory) throws IOException, HttpError {
        long declared = declaredLength(exchange);
        if (declared > limit) {
            throw HttpError.tooLarge(limit);
        }
        RequestBody body = new RequestBody(memory);
        try {
            body.readAll(exchange.getRequestBody(), declared, limit);
            return body;
        } catch (IOException | HttpError | RuntimeException | Error e) {
            body.close();
            throw e;
        }
    }

    /** The body, exactly as long as it is. */
    byte[] bytes() throws HttpError {
        if (length != buffer.length) { // a chunked body, which declared no length
            resize(length);
        }
        return buffer;
    }

    @Override
    public void close() {
        memory.giveBack(buffer.length);
        buffer = EMPTY;
        length = 0;
    }

    private void readAll(InputStream in, long declared, long limit) throws IOException, HttpError {
        long expected = declared >= 0 ? declared : limit;
        try {
            while (true) {
                if (length == buffer.length) {
                    if (length == expected) {
                        if (in.read() == -1) {
                            return;
                        }
                        throw HttpError.tooLarge(limit); // only a chunked body can go on past its expected end
                    }
                    resize((int) Math.min(expected, Math.max(FIRST_BUFFER, 2L * buffer.length)));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n == -1) {
                    return; // a chunked body's last chunk (a fixed length ends at expected, above)
                }
                length += n;
            }
        } catch (ClosedChannelException e) {
            throw e; // closed on purpose: by a deadline, a stop, or the JDK after a reply
        } catch (IOException e) {
            // the framing is broken (a bad chunk size) or the client hung up; if it is still
            // there, it reads why before the connection closes
            throw declared >= 0
                    ? HttpError.malformedBody("request body ended after " + length + " of " + declared + " bytes")
                    : HttpError.malformedBody("malformed chunked request body: bad chunk size or framing"
                            + " (RFC 9112 section 7.1)");
        }
    }

    /** Moves the body into a buffer of {@code capacity} bytes, taken from the budget first. */
    private void resize(int capacity) throws HttpError {
        if (!memory.tryTake(capacity)) {
            throw HttpError.bodyMemorySpent(memory.limit());
        }
        byte[] resized;
        try {
            resized = Arrays.copyOf(buffer, capacity);
        } catch (OutOfMemoryError e) {
            memory.giveBack(capacity);
            throw e;
        }
        memory.giveBack(buffer.length);
        buffer = resized;
    }

    /**
     * Reads and drops the body of a refused request, so the connection can carry the next one.
     * Returns false when the body is over {@code limit} or unreadable: the caller then closes the
     * connection instead.
     */
    static boolean discard(HttpExchange exchange, long limit) throws IOException {
        if (declaredLength(exchange) > limit) {
            return false;
        }
        InputStream in = exchange.getRequestBody();
        byte[] drop = new byte[16 * 1024];
        long total = 0;
        try {
            for (int n; (n = in.read(drop)) != -1; ) {
                total += n;
                if (total > limit) {
                    return false;
                }
            }
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException malformed) {
            return false;
        }
        return true;
    }

    /**
     * The Content-Length ({@link RequestHead} has checked its syntax), 0 when there is no body,
     * -1 for a chunked body (the only Transfer-Encoding the JDK accepts).
     */
    private static long declaredLength(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            return Long.parseLong(length);
        }
        return exchange.getRequestHeaders().containsKey("Transfer-Encoding") ? -1 : 0;
    }
}

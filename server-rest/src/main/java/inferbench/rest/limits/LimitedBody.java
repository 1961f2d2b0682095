package inferbench.rest.limits;

import com.sun.net.httpserver.HttpExchange;
import inferbench.rest.HttpError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.Map;

/**
 * A request body read into memory when the handler asks for it ({@link LimitedExchange}): never
 * more than the server's limit, its memory taken from the server's {@link BodyMemory} as the
 * bytes arrive and given back by {@link #close}.
 *
 * <p>The JDK's HttpServer has already checked the framing (RFC 9112 section 6: one valid
 * Content-Length, or Transfer-Encoding: chunked, never both; {@link RequestHead} refuses the
 * signed lengths it lets through) and hands over a stream that ends where the body ends. A body
 * declared too large is refused before a byte of it is read; a chunked body declares nothing, so
 * its size is counted while reading.
 *
 * <p>Every body is read to its very end, the read that returns -1: that is how the JDK learns
 * the connection is ready for the next request. It never reads a body on its own
 * ({@link JdkLimits} turns its drain off), so a body left unread closes the connection.
 */
final class LimitedBody implements AutoCloseable {
    /** A body's first buffer: small, so a client that stalls or trickles holds little memory. */
    static final int FIRST_BUFFER = 64 * 1024;
    /** The most of an unwanted body that is read to keep its connection; more closes the connection. */
    static final long DISCARD_LIMIT = 1024 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private final BodyMemory memory;
    private byte[] buffer = EMPTY;
    private int length;

    private LimitedBody(BodyMemory memory) {
        this.memory = memory;
    }

    static LimitedBody read(HttpExchange exchange, long limit, BodyMemory memory) throws IOException, HttpError {
        long declared = declaredLength(exchange);
        if (declared > limit) {
            throw HttpError.tooLarge(limit);
        }
        LimitedBody body = new LimitedBody(memory);
        try {
            body.readAll(exchange.getRequestBody(), declared, limit);
            if (body.length != body.buffer.length) { // a chunked body, which declared no length
                body.resize(body.length);
            }
            return body;
        } catch (IOException | HttpError | RuntimeException | Error e) {
            body.close();
            throw e;
        }
    }

    /**
     * The body for the handler to read. Its {@code readAllBytes} and {@code readNBytes} hand over
     * the body itself, as long as it is, without a copy.
     */
    InputStream stream() {
        return new ByteArrayInputStream(buffer) {
            @Override
            public synchronized byte[] readNBytes(int len) {
                if (pos == 0 && len >= count) {
                    pos = count;
                    return buf;
                }
                byte[] part = Arrays.copyOfRange(buf, pos, pos + Math.min(len, count - pos));
                pos += part.length;
                return part;
            }

            @Override
            public synchronized byte[] readAllBytes() {
                return readNBytes(Integer.MAX_VALUE);
            }
        };
    }

    /**
     * Reads and drops the body of a request refused without it (404, 405), so that its connection
     * can carry the next request: up to {@code limit} bytes, through a small buffer outside the
     * budget. False when the body is, or says it is, longer, or is broken: the connection must close.
     */
    static boolean discard(HttpExchange exchange, long limit) throws IOException {
        if (declaredLength(exchange) > limit) {
            return false;
        }
        InputStream in = exchange.getRequestBody();
        byte[] dropped = new byte[16 * 1024];
        try {
            for (long total = 0; total <= limit; ) {
                int n = in.read(dropped);
                if (n == -1) {
                    return true;
                }
                total += n;
            }
            return false;
        } catch (ClosedChannelException e) {
            throw e; // closed on purpose: by a deadline or a stop
        } catch (IOException broken) {
            return false;
        }
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
            throw malformed(declared >= 0 ? "request body ended after " + length + " of " + declared + " bytes"
                    : "malformed chunked request body: bad chunk size or framing (RFC 9112 section 7.1)");
        }
    }

    /** Moves the body into a buffer of {@code capacity} bytes, taken from the budget first. */
    private void resize(int capacity) throws HttpError {
        if (!memory.tryTake(capacity)) {
            throw new HttpError(503, "server busy: the request bodies in progress hold all of the body memory ("
                    + memory.limit() + " bytes); retry shortly", Map.of("Retry-After", "1", "Connection", "close"));
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

    /** The body's framing is broken, or it stopped short: the rest of the stream is not a request. */
    private static HttpError malformed(String detail) {
        return new HttpError(400, detail, Map.of("Connection", "close"));
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

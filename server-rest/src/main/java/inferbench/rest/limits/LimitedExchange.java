package inferbench.rest.limits;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import inferbench.rest.HttpError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.BooleanSupplier;

/**
 * The exchange the handler sees: the JDK's, with the limits on its body and on its reply.
 *
 * <p>The body is read when the handler first asks for it, so the routes refuse a request they
 * have no endpoint for (404, 405) before a byte of its body is read. It is read under the body
 * deadline into memory from the budget ({@link LimitedBody}); once it is in, the request is
 * admitted, or refused when the server is stopping. A refusal there reaches the handler as a
 * broken stream ({@link Refused}), which it passes on, and {@link RequestStages} answers it.
 *
 * <p>The reply moves the request to its last stage as it starts, so that a client that does not
 * read its replies holds the thread no longer than the reply deadline; the body's memory goes
 * back then. A body the handler never asked for is first read and dropped, up to 1 MiB, so that
 * the connection can carry the next request; a longer one closes the connection. Until the reply
 * starts its headers are kept here, so they never mix with an answer the limits write meanwhile
 * from another thread (408, or 503 on a stop, while that body arrives).
 */
final class LimitedExchange extends HttpExchange {
    /** A body refused as it was read, or a request refused once its body was in. */
    static final class Refused extends IOException {
        final HttpError error;

        Refused(HttpError error) {
            super(error.getMessage(), null);
            this.error = error;
        }
    }

    private final HttpExchange exchange;
    private final RequestProgress request;
    private final long maxBodyBytes;
    private final BodyMemory memory;
    private final BooleanSupplier stopping;
    private final Headers responseHeaders = new Headers();
    private LimitedBody body; // null until the handler asks for it
    private InputStream bodyStream;

    LimitedExchange(HttpExchange exchange, RequestProgress request, long maxBodyBytes, BodyMemory memory,
            BooleanSupplier stopping) {
        this.exchange = exchange;
        this.request = request;
        this.maxBodyBytes = maxBodyBytes;
        this.memory = memory;
        this.stopping = stopping;
    }

    @Override
    public InputStream getRequestBody() {
        return new InputStream() { // the body is read on the first call to one of these
            @Override
            public int read() throws IOException {
                return body().read();
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                return body().read(into, offset, length);
            }

            @Override
            public byte[] readNBytes(int length) throws IOException {
                return body().readNBytes(length);
            }

            @Override
            public byte[] readAllBytes() throws IOException {
                return body().readAllBytes();
            }
        };
    }

    private InputStream body() throws IOException {
        if (bodyStream == null) {
            request.readingBody(exchange);
            try {
                body = LimitedBody.read(exchange, maxBodyBytes, memory);
            } catch (HttpError refused) {
                throw new Refused(refused);
            }
            request.working();
            if (stopping.getAsBoolean()) {
                throw new Refused(ConnectionThreads.SHUTTING_DOWN);
            }
            bodyStream = body.stream();
        }
        return bodyStream;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public void sendResponseHeaders(int status, long length) throws IOException {
        if (body != null) {
            body.close();
        } else if (!"close".equalsIgnoreCase(responseHeaders.getFirst("Connection"))) {
            request.readingBody(exchange);
            if (!LimitedBody.discard(exchange, Math.min(LimitedBody.DISCARD_LIMIT, maxBodyBytes))) {
                responseHeaders.set("Connection", "close");
            }
        }
        request.replying();
        exchange.getResponseHeaders().putAll(responseHeaders);
        exchange.sendResponseHeaders(status, length);
    }

    /** Gives the body's memory back, if the reply has not already. */
    void releaseBody() {
        if (body != null) {
            body.close();
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return exchange.getRequestHeaders();
    }

    @Override
    public URI getRequestURI() {
        return exchange.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return exchange.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return exchange.getHttpContext();
    }

    @Override
    public void close() {
        exchange.close();
    }

    @Override
    public OutputStream getResponseBody() {
        return exchange.getResponseBody();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return exchange.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return exchange.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return exchange.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return exchange.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return exchange.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        exchange.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream in, OutputStream out) {
        exchange.setStreams(in, out);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return exchange.getPrincipal();
    }
}

package inferbench.bench.tuned;

import inferbench.client.transport.HttpPoster;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLContext;

/**
 * The tuned REST client (the benchmark's {@code rest-multipart-tuned}): kept-alive {@link HttpConnection}s, on
 * which the calling thread writes the request and reads the response itself, as Python's
 * {@code requests} does. The JDK's {@code HttpClient} hands every request and response between
 * its selector thread, its executor and the caller instead; docs/benchmark.md says what the
 * hand-offs cost ("What each client variant saves").
 *
 * <p>Each request takes an idle connection, or opens one, and puts it back when the response
 * has been read: one connection per request in flight. Every connection goes to the one host
 * and port the pool was made for.
 */
public final class HttpConnectionPool implements HttpPoster {
    private final String host;
    private final int port;
    private final Duration timeout;
    private final SSLContext tls;
    private final Deque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    public HttpConnectionPool(URI server, Duration timeout) {
        this(server, timeout, null);
    }

    /** @param tls for an https server, the client's TLS; null for http */
    public HttpConnectionPool(URI server, Duration timeout, SSLContext tls) {
        this.timeout = timeout;
        this.tls = tls;
        this.host = server.getHost().replaceAll("^\\[|\\]$", ""); // an IPv6 literal comes in brackets
        this.port = server.getPort() >= 0 ? server.getPort() : tls != null ? 443 : 80;
    }

    @Override
    public Answer post(URI url, String contentType, byte[] body) throws IOException {
        String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        byte[] head = ("POST " + path + query + " HTTP/1.1\r\n"
                + "Host: " + url.getRawAuthority() + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        HttpConnection.Response response = exchange(head, body, System.nanoTime() + timeout.toNanos());
        return new Answer(response.status(), response.body());
    }

    /**
     * Sends on an idle connection if there is one. If the server had closed that connection
     * while it sat idle (it never read the request, so sending again cannot do anything twice),
     * the request goes once more on a new connection.
     */
    private HttpConnection.Response exchange(byte[] head, byte[] body, long deadline) throws IOException {
        HttpConnection idleOne = idle.pollFirst();
        if (idleOne != null) {
            try {
                return exchangeOn(idleOne, head, body, deadline);
            } catch (HttpConnection.NoResponse stale) {
                // closed by exchangeOn; go on with a new connection
            }
        }
        return exchangeOn(HttpConnection.open(host, port, tls, deadline), head, body, deadline);
    }

    /** One request on a connection, which is kept for the next one if it may be, closed otherwise. */
    private HttpConnection.Response exchangeOn(HttpConnection connection, byte[] head, byte[] body, long deadline)
            throws IOException {
        HttpConnection.Response response;
        try {
            response = connection.exchange(head, body, deadline);
        } catch (IOException e) {
            connection.close();
            throw e;
        }
        if (response.reusable() && !closed) {
            idle.offerFirst(connection);
            if (closed && idle.remove(connection)) { // close() ran meanwhile
                connection.close();
            }
        } else {
            connection.close();
        }
        return response;
    }

    /** Closes the idle connections; a request still in flight closes its own when it ends. */
    @Override
    public void close() {
        closed = true;
        for (HttpConnection connection; (connection = idle.pollFirst()) != null; ) {
            connection.close();
        }
    }
}

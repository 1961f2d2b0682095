package inferbench.rest.limits;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The exchange the handler sees once its request is admitted: the body, already read
 * ({@link LimitedBody}), and a reply that moves the request to its last stage as it starts, so
 * that a client that does not read its replies holds the thread no longer than the reply
 * deadline. The body's memory goes back to the budget then, before the reply is written.
 * Everything else is the JDK's exchange.
 */
final class AdmittedExchange extends HttpExchange {
    private final HttpExchange exchange;
    private final LimitedBody body;
    private final RequestProgress request;
    private final InputStream bodyStream;

    AdmittedExchange(HttpExchange exchange, LimitedBody body, RequestProgress request) {
        this.exchange = exchange;
        this.body = body;
        this.request = request;
        this.bodyStream = body.stream();
    }

    @Override
    public InputStream getRequestBody() {
        return bodyStream;
    }

    @Override
    public void sendResponseHeaders(int status, long length) throws IOException {
        body.close();
        request.replying();
        exchange.sendResponseHeaders(status, length);
    }

    @Override
    public Headers getRequestHeaders() {
        return exchange.getRequestHeaders();
    }

    @Override
    public Headers getResponseHeaders() {
        return exchange.getResponseHeaders();
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

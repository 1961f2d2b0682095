package inferbench.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's one HttpHandler: takes a request from its headers to its reply, in the order
 * that keeps a slow client from costing more than its connection thread.
 *
 * <ol>
 * <li>The headers are checked ({@link RequestHead}) and the endpoint found: the JDK matches
 * contexts by path prefix ("/predict" would also take "/predictions"), so all requests come
 * here and the path must match exactly: unknown paths get 404, known paths with the wrong
 * method 405 with an {@code Allow} header (RFC 9110 section 15.5.6).
 * <li>The body is read ({@link RequestBody}), under the body deadline.
 * <li>The endpoint turns the complete request into its reply, or refuses it; /predict asks the
 * worker pool for a detection here and waits for it.
 * <li>The reply is written, from this thread, under the reply deadline.
 * </ol>
 *
 * <p>An {@link HttpError} becomes its JSON reply. A refusal that comes before the body has
 * been read drops a small body, so the connection carries on, or closes the connection. Any
 * other exception is a genuine fault, logged with the request it happened on, and the client
 * gets a bare 500. A broken connection (an IOException) is passed on to the JDK, which closes it.
 */
final class Routes implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(Routes.class.getName());

    /** What an endpoint does with a complete request: its 200 reply, or an {@link HttpError}. */
    @FunctionalInterface
    interface Endpoint {
        String handle(HttpExchange exchange, byte[] body) throws HttpError, IOException;
    }

    private final Map<String, Map<String, Endpoint>> byPath = new LinkedHashMap<>();
    private final ConnectionThreads connections;
    private final long maxBodyBytes;
    private final BodyMemory bodyMemory;

    Routes(ConnectionThreads connections, long maxBodyBytes, BodyMemory bodyMemory) {
        this.connections = connections;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyMemory = bodyMemory;
    }

    Routes add(String method, String path, Endpoint endpoint) {
        byPath.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        RequestProgress request = connections.current();
        try {
            request.readingBody(exchange);
            answer(exchange, request);
        } catch (IOException e) {
            // The client hung up, broke the HTTP framing, or a deadline closed the connection.
            LOG.log(Level.FINE, "I/O error on " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
            throw e;
        }
    }

    private void answer(HttpExchange exchange, RequestProgress request) throws IOException {
        String reply;
        boolean bodyRead = false;
        try {
            RequestHead.check(exchange);
            Endpoint endpoint = endpointFor(exchange);
            try (RequestBody body = RequestBody.read(exchange, maxBodyBytes, bodyMemory)) {
                bodyRead = true;
                request.working();
                if (connections.stopping()) {
                    throw HttpError.shuttingDown();
                }
                reply = endpoint.handle(exchange, body.bytes());
            }
        } catch (HttpError e) {
            refuse(exchange, request, e, bodyRead);
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "internal error on " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI() + " from " + exchange.getRemoteAddress(), e);
            refuse(exchange, request, HttpError.internal(), bodyRead);
            return;
        }
        request.replying();
        JsonResponse.send(exchange, 200, reply);
    }

    private void refuse(HttpExchange exchange, RequestProgress request, HttpError error, boolean bodyRead)
            throws IOException {
        if (!bodyRead && !error.closesConnection()
                && !RequestBody.discard(exchange, Math.min(RequestBody.DISCARD_LIMIT, maxBodyBytes))) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        request.replying();
        JsonResponse.sendError(exchange, error);
    }

    private Endpoint endpointFor(HttpExchange exchange) throws HttpError {
        Map<String, Endpoint> byMethod = byPath.get(exchange.getRequestURI().getPath());
        if (byMethod == null) {
            throw HttpError.notFound();
        }
        Endpoint endpoint = byMethod.get(exchange.getRequestMethod());
        if (endpoint == null) {
            throw HttpError.methodNotAllowed(String.join(", ", byMethod.keySet()));
        }
        return endpoint;
    }
}

package inferbench.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's one HttpHandler: picks the endpoint by exact path and method, and turns every
 * way a request can end into a reply.
 *
 * <p>The JDK matches contexts by path prefix ("/predict" would also take "/predictions"), so
 * all requests come here and the path must match exactly: unknown paths get 404, known paths
 * with the wrong method 405 with an {@code Allow} header (RFC 9110 section 15.5.6). An
 * {@link HttpError} becomes its JSON reply; any other exception is a genuine fault, logged with
 * the request it happened on, and the client gets a bare 500.
 */
final class Routes implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(Routes.class.getName());

    /** What an endpoint does with a request; it may refuse it by throwing {@link HttpError}. */
    @FunctionalInterface
    interface Endpoint {
        void handle(HttpExchange exchange) throws IOException, HttpError;
    }

    private final Map<String, Map<String, Endpoint>> byPath = new LinkedHashMap<>();
    private final long maxBodyBytes;

    Routes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    Routes add(String method, String path, Endpoint endpoint) {
        byPath.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            try {
                endpointFor(exchange).handle(exchange);
            } catch (HttpError e) {
                JsonResponse.sendError(exchange, e, maxBodyBytes);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "internal error on " + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI() + " from " + exchange.getRemoteAddress(), e);
                JsonResponse.sendError(exchange, HttpError.internal(), maxBodyBytes);
            }
        } catch (IOException e) {
            // Reading the request or writing the reply failed: the client hung up or broke the
            // HTTP framing. Nobody is left to answer; closing the exchange closes the connection.
            LOG.log(Level.FINE, "I/O error on " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
        } finally {
            exchange.close();
        }
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

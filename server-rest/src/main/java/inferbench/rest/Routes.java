package inferbench.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server's one HttpHandler: finds the endpoint for the method and path, reads the body, and
 * writes the endpoint's JSON reply or the {@link HttpError} it refused the request with. The JDK
 * matches contexts by path prefix ("/predict" would take "/predictions"), so the path must match
 * exactly here: 404, or 405 with {@code Allow} (RFC 9110 section 15.5.6). Any other exception is
 * a fault, logged with its request, and the client gets a bare 500. A broken connection (an
 * IOException) goes to the JDK, which closes it.
 */
final class Routes implements HttpHandler {
    private static final Logger LOG = Logger.getLogger(Routes.class.getName());

    /** What an endpoint does with a complete request: its 200 reply, or an {@link HttpError}. */
    @FunctionalInterface
    interface Endpoint {
        String handle(HttpExchange exchange, byte[] body) throws HttpError, IOException;
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
    public void handle(HttpExchange exchange) throws IOException {
        String reply;
        try {
            Endpoint endpoint = endpointFor(exchange); // first: a request with none is refused unread
            reply = endpoint.handle(exchange, body(exchange));
        } catch (HttpError e) {
            JsonResponse.sendError(exchange, e);
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "internal error on " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI() + " from " + exchange.getRemoteAddress(), e);
            // the client sees only that: the details are in the log, not on the wire
            JsonResponse.sendError(exchange, new HttpError(500, "internal server error", Map.of()));
            return;
        }
        JsonResponse.send(exchange, 200, reply);
    }

    private Endpoint endpointFor(HttpExchange exchange) throws HttpError {
        Map<String, Endpoint> byMethod = byPath.get(exchange.getRequestURI().getPath());
        if (byMethod == null) {
            throw new HttpError(404, "Not Found", Map.of());
        }
        Endpoint endpoint = byMethod.get(exchange.getRequestMethod());
        if (endpoint == null) {
            throw new HttpError(405, "Method Not Allowed", Map.of("Allow", String.join(", ", byMethod.keySet())));
        }
        return endpoint;
    }

    /**
     * The whole body, which must end within the body limit: a longer one is refused 413, before a
     * byte of it is read when its Content-Length says so. The JDK has checked the framing and
     * hands over a stream that ends where the body ends.
     */
    private byte[] body(HttpExchange exchange) throws IOException, HttpError {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && Long.parseLong(declared) > maxBodyBytes) {
            throw HttpError.tooLarge(maxBodyBytes);
        }
        byte[] body = exchange.getRequestBody().readNBytes(Math.toIntExact(maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            throw HttpError.tooLarge(maxBodyBytes);
        }
        return body;
    }
}

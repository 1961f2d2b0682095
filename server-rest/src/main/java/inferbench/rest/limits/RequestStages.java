package inferbench.rest.limits;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import inferbench.rest.HttpError;
import inferbench.rest.JsonResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The filter that takes a request from its headers to its reply in the order that keeps a slow
 * client from costing more than its connection thread, each stage under its deadline
 * ({@link RequestProgress}):
 *
 * <ol>
 * <li>The JDK has read the request line and headers on the connection thread
 * ({@link ConnectionThreads}); they are checked ({@link RequestHead}).
 * <li>The body is read, under the body deadline, into memory taken from the budget
 * ({@link LimitedBody}).
 * <li>The complete request is admitted, or answered 503 when the server is stopping, and handed
 * to the handler, which asks the worker pool for a detection and waits for it.
 * <li>The handler's reply is written, from this thread, under the reply deadline
 * ({@link AdmittedExchange}).
 * </ol>
 *
 * <p>A request refused here has not been read in full, so its reply closes the connection.
 */
final class RequestStages extends Filter {
    private static final Logger LOG = Logger.getLogger(RequestStages.class.getName());

    private final ConnectionThreads connections;
    private final long maxBodyBytes;
    private final BodyMemory bodyMemory;

    RequestStages(ConnectionThreads connections, long maxBodyBytes, BodyMemory bodyMemory) {
        this.connections = connections;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyMemory = bodyMemory;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        RequestProgress request = connections.current();
        try {
            request.readingBody(exchange);
            admit(exchange, request, chain);
        } catch (IOException e) {
            // The client hung up, broke the HTTP framing, or a deadline closed the connection.
            LOG.log(Level.FINE, "I/O error on " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
            throw e;
        }
    }

    private void admit(HttpExchange exchange, RequestProgress request, Chain chain) throws IOException {
        LimitedBody body;
        try {
            RequestHead.check(exchange);
            body = LimitedBody.read(exchange, maxBodyBytes, bodyMemory);
        } catch (HttpError refused) {
            refuse(exchange, request, refused);
            return;
        }
        try (body) {
            request.working();
            if (connections.stopping()) {
                refuse(exchange, request, ConnectionThreads.SHUTTING_DOWN);
                return;
            }
            chain.doFilter(new AdmittedExchange(exchange, body, request));
        }
    }

    private static void refuse(HttpExchange exchange, RequestProgress request, HttpError error) throws IOException {
        request.replying();
        JsonResponse.sendError(exchange, error);
    }

    @Override
    public String description() {
        return "request stages: headers checked, body read within its deadline and memory budget";
    }
}

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
 * <li>The handler finds the endpoint; a request it has none for (404, 405) is refused before its
 * body is read.
 * <li>The body is read when the handler asks for it, under the body deadline, into memory taken
 * from the budget ({@link LimitedExchange}, {@link LimitedBody}); the complete request is then
 * admitted, or answered 503 when the server is stopping, and the handler asks the worker pool for
 * a detection and waits for it.
 * <li>The handler's reply is written, from this thread, under the reply deadline.
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
            answer(exchange, request, chain);
        } catch (IOException e) {
            // The client hung up, broke the HTTP framing, or a deadline closed the connection.
            LOG.log(Level.FINE, "I/O error on " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
            throw e;
        }
    }

    private void answer(HttpExchange exchange, RequestProgress request, Chain chain) throws IOException {
        LimitedExchange limited = new LimitedExchange(exchange, request, maxBodyBytes, bodyMemory,
                connections::stopping);
        try {
            RequestHead.check(exchange);
            chain.doFilter(limited);
        } catch (HttpError refused) { // by RequestHead
            refuse(exchange, request, refused);
        } catch (LimitedExchange.Refused refused) { // as the handler read the body
            refuse(exchange, request, refused.error);
        } finally {
            limited.releaseBody();
        }
    }

    private static void refuse(HttpExchange exchange, RequestProgress request, HttpError error) throws IOException {
        request.replying();
        JsonResponse.sendError(exchange, error);
    }

    @Override
    public String description() {
        return "request stages: headers checked, body read when asked for, within its deadline and memory budget";
    }
}

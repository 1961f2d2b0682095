package inferbench.rest.limits;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import inferbench.rest.AccessLog;
import inferbench.rest.RestServer;
import inferbench.server.LimitHits;
import inferbench.server.LimitsReport;
import inferbench.server.RequestLimits;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What one client may hold of the REST server, attached the way the JDK's HttpServer lets it be:
 * the JDK's own switches ({@link JdkLimits}), the executor whose threads read each request and
 * write its reply ({@link ConnectionThreads}: at most {@code --max-connections} at once, each
 * stage under its deadline), and a filter that reads the body, when the handler asks for it, within
 * its deadline and the memory budget ({@link RequestStages}, {@link BodyMemory}). So a slow,
 * stalled or greedy client costs a connection thread and a bounded buffer, never a worker.
 * What they hold and how often each was hit is theirs to report ({@link LimitsReport}).
 */
public final class RestLimits implements RestServer.Limits, LimitsReport {
    /** The limits a request can hit here, by the flag that sets each (the reply's 10 s has none). */
    static final String MAX_CONNECTIONS = "max_connections";
    static final String BODY_MEMORY = "body_memory";
    static final String HEADER_TIMEOUT = "header_timeout";
    static final String BODY_TIMEOUT = "body_timeout";
    static final String REPLY_TIMEOUT = "reply_timeout";

    private final RequestLimits limits;
    private final LimitHits hits = new LimitHits(MAX_CONNECTIONS, BODY_MEMORY, HEADER_TIMEOUT, BODY_TIMEOUT,
            REPLY_TIMEOUT);
    private final ConnectionThreads connections;
    private final BodyMemory bodyMemory;

    /** @param log where connections closed before their request was read are reported, or null */
    public RestLimits(RequestLimits limits, AccessLog log) {
        JdkLimits.set(limits); // before the server is created
        this.limits = limits;
        this.connections = new ConnectionThreads(limits, log, hits);
        this.bodyMemory = new BodyMemory(limits.bodyMemoryBytes(), hits);
    }

    @Override
    public void attachTo(HttpServer http, HttpContext context) {
        http.setExecutor(connections);
        context.getFilters().add(new RequestStages(connections, limits.maxBodyBytes(), bodyMemory));
    }

    /**
     * Connections whose request has not arrived in full are closed at once (a body being read is
     * answered 503 first); requests that arrive from now on are answered 503 "shutting down"; the
     * requests that have arrived are answered (queued detections included) for up to
     * {@code timeout}; then the listening socket and every connection are closed.
     *
     * <p>Why not just {@code HttpServer.stop(delay)}: on JDK 17 it waits the whole delay even
     * when nothing is in flight (JDK-8304065), and it cannot tell a request being answered from
     * a client that sent half its headers. So the connection threads do the draining, and
     * {@code stop(0)} afterwards only closes sockets.
     */
    @Override
    public boolean drain(HttpServer http, Duration timeout) {
        CompletableFuture<Void> arrived = connections.stop();
        boolean answered = false;
        try {
            arrived.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            answered = true;
        } catch (TimeoutException | ExecutionException e) {
            // cut off below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        return answered;
    }

    /** Interrupts whatever is left (the sockets are closed by then) and ends every thread. */
    @Override
    public void close() {
        connections.shutdown();
    }

    @Override
    public Map<String, Long> hits() {
        return hits.counts();
    }

    @Override
    public int requestsOpen() {
        return connections.inProgress();
    }

    @Override
    public long requestMemoryBytes() {
        return bodyMemory.held();
    }

    @Override
    public boolean stopping() {
        return connections.stopping();
    }
}

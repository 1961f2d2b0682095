package inferbench.rest.limits;

import inferbench.rest.AccessLog;
import inferbench.rest.HttpError;
import inferbench.server.DaemonThreads;
import inferbench.server.RequestLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HttpServer's executor: the threads that read requests and write replies, one request each,
 * apart from the {@link inferbench.server.WorkerPool} that runs detections.
 *
 * <p>HttpServer's dispatcher hands a connection to its executor as soon as the connection has a
 * byte to read, before the request line is read: whatever runs that task waits for the client.
 * So these threads do the waiting, each stage under a deadline ({@link RequestProgress}), and a
 * request asks for a worker only once it has arrived in full. A slow or stalled client costs a
 * connection thread for the length of its deadlines, never a detection worker.
 *
 * <p>At most {@code maxConnections} threads run at once, created as needed (idle kept-alive
 * connections wait in the JDK's selector and need none). Past that the pool refuses the task and
 * the JDK closes the connection, since nobody is there to read its request: the requests already
 * in progress go on, and the client may retry.
 */
final class ConnectionThreads implements Executor {
    static final HttpError SHUTTING_DOWN = new HttpError(503, "server is shutting down",
            Map.of("Retry-After", "1", "Connection", "close"));

    private final Deadlines deadlines;
    private final AccessLog log;
    private final ThreadPoolExecutor threads;
    private final Set<RequestProgress> inProgress = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<RequestProgress> current = new ThreadLocal<>();
    private volatile boolean stopping;

    /** @param log where closed connections are reported, or null */
    ConnectionThreads(RequestLimits limits, AccessLog log) {
        int maxConnections = limits.maxConnections();
        this.deadlines = new Deadlines(limits);
        this.log = log;
        this.threads = new ThreadPoolExecutor(0, maxConnections, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DaemonThreads("rest-connection-"), (task, pool) -> {
                    if (log != null && !pool.isShutdown()) {
                        log.closed(maxConnections + " requests already in progress (--max-connections)", 0);
                    }
                    throw new RejectedExecutionException("every connection thread is taken");
                });
    }

    /** Called by the JDK's dispatcher with a connection that has a request (or its end) to read. */
    @Override
    public void execute(Runnable exchange) {
        threads.execute(() -> run(exchange));
    }

    private void run(Runnable exchange) {
        RequestProgress request = new RequestProgress(Thread.currentThread(), deadlines, RequestProgress.Stage.HEADERS);
        inProgress.add(request);
        current.set(request);
        try {
            exchange.run();
        } finally {
            request.finish();
            current.remove();
            inProgress.remove(request);
            RequestProgress.Stage closedIn = request.closedIn();
            if (log != null && closedIn != null && closedIn != RequestProgress.Stage.BODY) {
                // (a request closed in its body has an answer, 408 or 503, which the AccessLog filter logs)
                log.closed(request.closedBecause(), request.elapsedMillis());
            }
        }
    }

    /** The request the calling connection thread is working on. */
    RequestProgress current() {
        return current.get();
    }

    boolean stopping() {
        return stopping;
    }

    /**
     * From now on, requests that arrive in full are answered 503 "shutting down" with
     * {@code Connection: close}; the ones still arriving are closed at once (a body being read is
     * answered 503 first). Returns what is left to finish: the requests that had arrived.
     */
    CompletableFuture<Void> stop() {
        stopping = true;
        List<CompletableFuture<Void>> arrived = new ArrayList<>();
        for (RequestProgress request : inProgress) {
            if (request.closeIfIncomplete(SHUTTING_DOWN)) {
                arrived.add(request.done());
            }
        }
        return CompletableFuture.allOf(arrived.toArray(CompletableFuture[]::new));
    }

    /** Interrupts whatever is left (the JDK has closed the sockets by then) and ends every thread. */
    void shutdown() {
        threads.shutdownNow();
        deadlines.shutdown();
    }
}

package inferbench.rest;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Answers 503 with {@code Retry-After} for the requests the {@link WorkerPool} has no room for,
 * and, once shutdown has begun, for every new request.
 *
 * <p>Why a side lane: HttpServer's single dispatcher thread hands each request to our executor
 * before even its request line is read. So when the pool is full, there is no
 * {@code HttpExchange} to answer with yet; anything slow done there would stall every
 * connection; and if the executor throws, the JDK just drops the connection (a client cannot
 * tell "busy" from "crashed"). So the request's task is passed to this lane's one thread.
 * There the JDK reads the request as usual and runs the filter chain, and this filter, seeing
 * it runs on the lane, answers 503 instead of passing the request on.
 *
 * <p>Like every refusal, the 503 is sent after the request body has been read and dropped (up
 * to the body limit), so the client reads the 503 rather than a connection reset, and a
 * keep-alive connection stays usable. The lane's queue is bounded too: in a flood beyond it,
 * connections are dropped (the JDK's behaviour when the executor throws) rather than memory
 * growing without limit.
 */
final class BusyLane extends Filter {
    /** Requests waiting to be told "busy": cheap to hold, each is an open socket and a small task. */
    static final int QUEUE = 256;

    private final long maxBodyBytes;
    private final ThreadPoolExecutor lane = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), task -> new Thread(task, "rest-busy-lane"));
    private final ThreadLocal<Boolean> onLane = ThreadLocal.withInitial(() -> false);
    private volatile boolean shuttingDown;

    BusyLane(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Runs a request's task on the lane, where it will be refused.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the lane is full too
     */
    void execute(Runnable exchange) {
        lane.execute(() -> {
            onLane.set(true);
            try {
                exchange.run();
            } finally {
                onLane.remove();
            }
        });
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (!onLane.get()) {
            chain.doFilter(exchange);
            return;
        }
        try {
            JsonResponse.sendError(exchange, shuttingDown ? HttpError.shuttingDown() : HttpError.busy(), maxBodyBytes);
        } finally {
            exchange.close();
        }
    }

    /** From now on, refused requests are told the server is shutting down, and their connections closed. */
    void startShutdown() {
        shuttingDown = true;
    }

    void shutdown() {
        lane.shutdown();
        try {
            if (!lane.awaitTermination(1, TimeUnit.SECONDS)) {
                lane.shutdownNow();
            }
        } catch (InterruptedException e) {
            lane.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String description() {
        return "503 for requests the worker pool has no room for";
    }
}

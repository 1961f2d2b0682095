package inferbench.server;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A server's detection threads and how much work it takes on: {@code workers} threads and
 * {@code queue} places to wait. Beyond that {@link #trySubmit} says no at once, so an overload
 * shows as quick "busy" answers (REST 503, gRPC RESOURCE_EXHAUSTED), not as a queue that grows.
 * Both servers use it with the same settings: the same compute, the same limit.
 *
 * <p>Why a semaphore and not a ThreadPoolExecutor's bounded queue: once all its threads exist,
 * the executor passes every task through its queue, so two requests arriving together can find a
 * one-place queue full while an idle thread has not yet taken the first. Counting admitted
 * requests makes the limit exactly {@code workers + queue}; the executor's (linked) queue has
 * that many places, so it never refuses an admitted request.
 */
public final class WorkerPool {
    private final int workers;
    private final int queue;
    private final int places;
    private final Semaphore free;
    private final ThreadPoolExecutor threads;
    private volatile Observer observer = Observer.NONE;

    /** Told of each task run, on its worker, before its future completes: how the metrics watch the pool. */
    public interface Observer {
        Observer NONE = (waitedNanos, ranNanos, result) -> { };

        /** From trySubmit to a worker starting the task; the task's own time; what it returned (null: it threw). */
        void ran(long waitedNanos, long ranNanos, Object result);
    }

    /** @param threadNamePrefix such as {@code "rest-worker-"}: named threads read well in a thread dump */
    public WorkerPool(int workers, int queue, String threadNamePrefix) {
        this.workers = workers;
        this.queue = queue;
        this.places = (int) Math.min((long) workers + queue, Integer.MAX_VALUE);
        this.free = new Semaphore(places);
        this.threads = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(places),
                new DaemonThreads(threadNamePrefix));
    }

    /**
     * Runs {@code work} on a worker thread if a place is free; says no at once (an empty
     * Optional), without waiting, if every place is taken or the pool is shut down.
     *
     * <p>The place is given back as soon as {@code work} returns, before the future completes,
     * so before anything the caller chains to it (sending the reply) runs. A client that waits
     * for its reply before sending the next request therefore always finds its place free
     * again: {@code workers + queue} such clients are never told "busy".
     */
    public <T> Optional<CompletableFuture<T>> trySubmit(Callable<T> work) {
        if (!free.tryAcquire()) {
            return Optional.empty();
        }
        long submitted = System.nanoTime();
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                long started = System.nanoTime();
                T result = null;
                Throwable failure = null;
                try {
                    result = work.call();
                } catch (Throwable e) {
                    failure = e;
                }
                free.release();
                try {
                    observer.ran(started - submitted, System.nanoTime() - started, result);
                } finally {
                    if (failure == null) {
                        done.complete(result);
                    } else {
                        done.completeExceptionally(failure);
                    }
                }
            });
            return Optional.of(done);
        } catch (RejectedExecutionException shutDown) {
            free.release();
            return Optional.empty();
        }
    }

    /** From now on {@code observer} is told of every task run (it replaces the one before). */
    public void observe(Observer observer) {
        this.observer = observer;
    }

    /** Tasks admitted and not finished yet: running, or waiting for a worker. */
    public int inFlight() {
        return places - free.availablePermits();
    }

    /** What a refused client is told; the same words from both servers. */
    public String busyMessage() {
        return "server busy: every worker (" + workers + ") and queue place (" + queue + ") is taken; retry shortly";
    }

    /**
     * Admits nothing more, lets the admitted tasks finish for up to {@code grace}, then interrupts
     * what is left; true if every one finished in time. An interrupt while waiting cuts the wait
     * short (and is kept).
     */
    public boolean shutdown(Duration grace) {
        threads.shutdown();
        try {
            if (threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
        return false;
    }
}

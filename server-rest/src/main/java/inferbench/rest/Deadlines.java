package inferbench.rest;

import inferbench.server.RequestLimits;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * How long each stage of a request may take ({@link RequestProgress.Stage}), the one thread that
 * keeps every request's deadline, and the threads that answer a request whose body is given up on.
 */
final class Deadlines {
    /**
     * A reply is a few hundred bytes, which the socket's buffer takes at once: writing it blocks
     * only when the client has stopped reading what it asked for.
     */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(1,
            new DaemonThreads("rest-deadlines-"));
    /** At most one answer per request whose body is being read, so never more than maxConnections. */
    private final ThreadPoolExecutor answerers;

    Deadlines(RequestLimits limits) {
        headerTimeout = limits.headerTimeout();
        bodyTimeout = limits.bodyTimeout();
        // each request cancels a deadline at every stage: without this, cancelled ones would
        // stay queued until their time, thousands of them at a few thousand requests a second
        clock.setRemoveOnCancelPolicy(true);
        answerers = new ThreadPoolExecutor(0, limits.maxConnections(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DaemonThreads("rest-answer-"));
    }

    /** The time a stage may take, or null for none (WORKING: the worker pool bounds it). */
    Duration of(RequestProgress.Stage stage) {
        return switch (stage) {
            case HEADERS -> headerTimeout;
            case BODY -> bodyTimeout;
            case REPLYING -> REPLY_TIMEOUT;
            case WORKING, DONE -> null;
        };
    }

    /** Runs {@code expiry} after {@code delay}; null once the server has stopped (its sockets are closed anyway). */
    ScheduledFuture<?> schedule(Duration delay, Runnable expiry) {
        try {
            return clock.schedule(expiry, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopped) {
            return null;
        }
    }

    /** Runs {@code answer} on a thread of its own; false once the server has stopped. */
    boolean answer(Runnable answer) {
        try {
            answerers.execute(answer);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false;
        }
    }

    void shutdown() {
        clock.shutdownNow();
        answerers.shutdownNow();
    }
}

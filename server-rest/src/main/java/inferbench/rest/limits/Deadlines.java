package inferbench.rest.limits;

import inferbench.server.DaemonThreads;
import inferbench.server.RequestLimits;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How long each stage of a request may take ({@link RequestProgress.Stage}), the one thread that
 * enforces every request's deadline, and the threads that answer a request whose body is given up on.
 *
 * <p>The clock looks at every request ten times a second rather than keeping a timer per stage:
 * a request then changes stage by setting a number, without queueing a timer and waking the
 * clock thread three times per request, and deadlines of seconds are kept to a tenth of a second.
 */
final class Deadlines {
    private static final Logger LOG = Logger.getLogger(Deadlines.class.getName());

    /**
     * A reply is a few hundred bytes, which the socket's buffer takes at once: writing it blocks
     * only when the client has stopped reading what it asked for.
     */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    static final Duration TICK = Duration.ofMillis(100);

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Set<RequestProgress> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor clock = new ScheduledThreadPoolExecutor(1,
            new DaemonThreads("rest-deadlines-"));
    /** At most one answer per request whose body is being read, so never more than maxConnections. */
    private final ThreadPoolExecutor answerers;

    Deadlines(RequestLimits limits) {
        headerTimeout = limits.headerTimeout();
        bodyTimeout = limits.bodyTimeout();
        answerers = new ThreadPoolExecutor(0, limits.maxConnections(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new DaemonThreads("rest-answer-"));
        clock.scheduleAtFixedRate(this::expireDue, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
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

    void watch(RequestProgress request) {
        watched.add(request);
    }

    void unwatch(RequestProgress request) {
        watched.remove(request);
    }

    private void expireDue() {
        long now = System.nanoTime();
        for (RequestProgress request : watched) {
            try {
                request.expireIfDue(now);
            } catch (RuntimeException e) { // an exception would end the clock's schedule
                LOG.log(Level.SEVERE, "closing a request past its deadline failed", e);
            }
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

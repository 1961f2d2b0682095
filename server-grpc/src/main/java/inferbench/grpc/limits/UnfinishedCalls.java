package inferbench.grpc.limits;

import inferbench.server.DaemonThreads;
import inferbench.server.RequestLimits;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every call the server has started and not ended, and the limits that keep slow, stalled and
 * greedy clients from filling the server's memory with them:
 * <ul>
 * <li>at most {@code --max-calls} calls open at once; a further one is refused at once
 *     (RESOURCE_EXHAUSTED);
 * <li>a call's message must arrive in full within {@code --body-timeout}: a unary call's from
 *     the call's start, a stream's from the message's first byte (a video stream may idle between
 *     frames, not stall in the middle of one); a late call is ended (DEADLINE_EXCEEDED);
 * <li>the messages still arriving hold at most {@code --message-memory} bytes together
 *     ({@link MessageMemory}); past it the calls whose message has been arriving the longest
 *     are ended (RESOURCE_EXHAUSTED);
 * <li>a stream whose client stops reading its answers is ended (RESOURCE_EXHAUSTED): it reads
 *     no more frames, and its client could park a flow-control window of them in the server.
 * </ul>
 * A stop ends at once every call with no admitted work: those still waiting for their message,
 * and health watches and reflection streams, which never end by themselves.
 *
 * <p>Both a stream tracer factory and an interceptor: its {@link CallWatch}es see each message
 * arrive, and the interceptor holds each call ({@link GuardedCall}), to end it.
 */
final class UnfinishedCalls extends ServerStreamTracer.Factory implements ServerInterceptor, AutoCloseable {
    static final String SHUTTING_DOWN = "server shutting down: retry on a server that is running";

    /** How grpc reports a call the client cancelled, or ran out of its own deadline for, or lost the connection of. */
    private static final Set<Status.Code> CLIENT_OR_CONNECTION_ENDED =
            EnumSet.of(Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED, Status.Code.UNAVAILABLE);

    private final int maxCalls;
    private final long bodyTimeoutNanos;
    private final String drainedMethods;
    private final ClientErrorLog errors;
    private final Status tooManyCalls;
    private final Status late;
    private final Status overMemory;
    private final Status notReading;
    private final MessageMemory<CallWatch> memory;
    private final AtomicInteger openCount = new AtomicInteger();
    private final Set<CallWatch> open = ConcurrentHashMap.newKeySet();
    /** Calls with a message due: started and not received in full. */
    private final Set<CallWatch> awaiting = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService clock =
            Executors.newSingleThreadScheduledExecutor(new DaemonThreads("grpc-message-deadlines-"));
    private volatile boolean stopping;

    /** @param drainedService the service whose calls a stop lets finish, such as {@code img.Inference} */
    UnfinishedCalls(RequestLimits limits, String drainedService, ClientErrorLog errors) {
        this.maxCalls = limits.maxCalls();
        this.bodyTimeoutNanos = limits.bodyTimeout().toNanos();
        this.drainedMethods = drainedService + "/";
        this.errors = errors;
        this.memory = new MessageMemory<>(limits.messageMemoryBytes());
        this.tooManyCalls = Status.RESOURCE_EXHAUSTED.withDescription("server busy: " + maxCalls
                + " calls are open, the most it takes (--max-calls); retry shortly");
        this.late = Status.DEADLINE_EXCEEDED.withDescription("the message did not arrive in full within "
                + RequestLimits.seconds(limits.bodyTimeout()) + " (--body-timeout)");
        this.overMemory = Status.RESOURCE_EXHAUSTED.withDescription("server busy: messages arriving at once"
                + " would hold more than " + limits.messageMemoryBytes() + " bytes (--message-memory), and this call's"
                + " had been arriving the longest; retry shortly");
        this.notReading = Status.RESOURCE_EXHAUSTED.withDescription("the client is not reading its answers (more"
                + " than 32 KiB of them wait unsent): the stream is ended");
        // A tenth of the timeout, between 0.1 and 1 s: a late call ends at most that much after its deadline.
        long sweep = Math.max(100, Math.min(1000, limits.bodyTimeout().toMillis() / 10));
        clock.scheduleWithFixedDelay(this::endLateCalls, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return new CallWatch(fullMethodName, this);
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        CallWatch watch = CallWatch.current();
        GuardedCall<ReqT, RespT> guarded = new GuardedCall<>(call,
                () -> end(watch, notReading, "client not reading its answers, stream ended"));
        watch.watch(guarded);
        ServerCall.Listener<ReqT> handler = admit(watch) ? next.startCall(guarded, headers)
                : new ServerCall.Listener<>() { };
        return new SimpleForwardingServerCallListener<>(handler) {
            private boolean clientDone;

            @Override
            public void onMessage(ReqT message) {
                // Before the handler, not after it: the handler may admit the message to the
                // worker pool, and a stop from that moment on must see a call with admitted work,
                // not one still waiting for its message.
                received(watch);
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                clientDone = true;
                super.onHalfClose();
            }

            @Override
            public void onComplete() {
                super.onComplete();
                if (!clientDone) {
                    watch.reset();
                }
            }
        };
    }

    /**
     * For a stop: refuses new calls, and ends those with no admitted work. Video streams are
     * left to end themselves after their frame in hand (inferbench.grpc.FrameStream).
     */
    void stop() {
        stopping = true;
        for (CallWatch watch : open) {
            if (awaiting.contains(watch) || !watch.method.startsWith(drainedMethods)) {
                watch.end(Status.UNAVAILABLE.withDescription(SHUTTING_DOWN));
            }
        }
    }

    /**
     * Waits until every call has ended, answered or not, for up to {@code timeout}. The server's
     * own count, not the transport's: a client that never ends its side of a stream grpc has
     * ended keeps that stream open, and its connection with it, until the connection is cut.
     *
     * @return true if no call is left
     */
    boolean awaitAllEnded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (open) {
            while (!open.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(open, left);
            }
        }
        return true;
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }

    void messageDue(CallWatch watch) {
        if (awaiting.add(watch)) {
            watch.dueIn(bodyTimeoutNanos);
        }
    }

    void hold(CallWatch watch, long bytes) {
        for (CallWatch oldest : memory.add(watch, bytes)) {
            end(oldest, overMemory, "message memory full, gave way as the oldest");
        }
    }

    /**
     * @param grpcStatus the status grpc ended the call with, or null if this server's code ended
     *                   it (answered, refused or cut it off)
     */
    void ended(CallWatch watch, Status grpcStatus) {
        if (grpcStatus != null && !grpcStatus.isOk() && !CLIENT_OR_CONNECTION_ENDED.contains(grpcStatus.getCode())) {
            // grpc ended it for a client's mistake: a message over --max-body, a second request on a unary call
            errors.report("grpc " + grpcStatus.getCode(), watch.who() + ": " + grpcStatus.getCode() + " "
                    + grpcStatus.getDescription());
        }
        awaiting.remove(watch);
        memory.forget(watch);
        if (open.remove(watch)) {
            openCount.decrementAndGet();
            synchronized (open) {
                open.notifyAll();
            }
        }
    }

    private void received(CallWatch watch) {
        awaiting.remove(watch);
        memory.release(watch);
    }

    private boolean admit(CallWatch watch) {
        if (openCount.incrementAndGet() > maxCalls) {
            openCount.decrementAndGet();
            end(watch, tooManyCalls, "refused, " + maxCalls + " calls open (--max-calls)");
            return false;
        }
        open.add(watch);
        if (stopping) { // checked after joining `open`, so a stop either sees this call or is seen here
            watch.end(Status.UNAVAILABLE.withDescription(SHUTTING_DOWN));
            return false;
        }
        return true;
    }

    private void endLateCalls() {
        long now = System.nanoTime();
        for (CallWatch watch : awaiting) {
            if (watch.isLate(now)) {
                end(watch, late, "message not in full within the body timeout");
            }
        }
    }

    private void end(CallWatch watch, Status status, String why) {
        if (watch.end(status)) {
            errors.report(why, watch.who() + ": " + why);
        }
    }
}

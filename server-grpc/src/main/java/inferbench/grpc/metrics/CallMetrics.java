package inferbench.grpc.metrics;

import inferbench.metrics.Outcome;
import inferbench.metrics.ServerMetrics;
import inferbench.proto.Detection;
import inferbench.server.LimitsReport;
import io.grpc.Context;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;

/**
 * What one {@code img.Inference} call counts as requests. A unary call is one request, from its
 * headers to its status. A {@code PredictStream} call is a request per frame, from the frame's
 * first byte to its answer; a frame still unanswered when the call ends ends with the call's
 * status; and a call refused before a frame of it was read (too many calls, a frame over
 * --max-body, the server stopping) counts as one refused request.
 *
 * <p>grpc-java calls a tracer on the event loop, and the answers come from workers, so the
 * counts are guarded by this object's lock.
 */
final class CallMetrics extends ServerStreamTracer {
    private static final Context.Key<CallMetrics> CURRENT = Context.key("inferbench.grpc.call-metrics");

    private final boolean stream;
    private final ServerMetrics metrics;
    private final LimitsReport limits;
    private final long start = System.nanoTime();
    private long frameStart;
    private int received;
    private int answered;
    private boolean closed;

    CallMetrics(boolean stream, ServerMetrics metrics, LimitsReport limits) {
        this.stream = stream;
        this.metrics = metrics;
        this.limits = limits;
    }

    /** The tracer of the stream call whose code runs now (in its Context), or null. */
    static CallMetrics current() {
        return CURRENT.get();
    }

    /** A stream call's tracer puts itself in the call's Context, where the interceptor finds it. */
    @Override
    public Context filterContext(Context context) {
        return stream ? context.withValue(CURRENT, this) : context;
    }

    @Override
    public synchronized void inboundMessage(int seqNo) {
        received++;
        frameStart = System.nanoTime();
    }

    @Override
    public void inboundMessageRead(int seqNo, long optionalWireSize, long optionalUncompressedSize) {
        metrics.received(optionalWireSize);
    }

    /** A stream frame's answer has gone out. */
    synchronized void answered(Detection answer) {
        if (!closed) { // (an answer that raced a client's cancel was counted with the cancel)
            answered++;
            metrics.request(GrpcMetrics.outcomeOf(answer), System.nanoTime() - frameStart);
        }
    }

    @Override
    public synchronized void streamClosed(Status status) {
        closed = true;
        long now = System.nanoTime();
        Outcome outcome = GrpcMetrics.outcomeOf(status, limits.stopping());
        if (!stream) {
            metrics.request(outcome, now - start);
            return;
        }
        for (int unanswered = received - answered; unanswered > 0; unanswered--) {
            metrics.request(outcome, now - frameStart);
        }
        if (received == answered) {
            if (received == 0 && outcome != Outcome.OK && outcome != Outcome.CLIENT_GONE) {
                metrics.request(outcome, now - start); // refused before its first frame
            } else if (received > 0 && outcome == Outcome.TOO_LARGE) {
                metrics.request(outcome, 0); // refused from its length prefix, before it began
            }
        }
    }
}

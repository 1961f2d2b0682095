package inferbench.grpc.limits;

import io.grpc.Context;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;

/**
 * What {@link UnfinishedCalls} knows of one call, from its first header to its end: when its
 * message is due, how many bytes of it have arrived, and the call itself, to end it.
 *
 * <p>A stream tracer, because only a tracer sees a message arrive: grpc-java reports
 * {@code inboundMessage} when a message's 5-byte length prefix has been read,
 * {@code inboundWireSize} as its bytes are read, and {@code inboundMessageRead} when it is
 * complete (MessageDeframer). It puts itself in the call's Context, where the interceptor finds
 * it to hand it the call.
 */
final class CallWatch extends ServerStreamTracer {
    private static final Context.Key<CallWatch> CURRENT = Context.key("inferbench.grpc.call-watch");

    final String method;
    private final UnfinishedCalls calls;
    private volatile String who;             // peer and method, for the error log
    private volatile GuardedCall<?, ?> call; // null until the interceptor has seen the call
    private volatile long dueBy;             // System.nanoTime() by which the message due must be in
    private Context.CancellableContext context;

    CallWatch(String method, UnfinishedCalls calls) {
        this.method = method;
        this.calls = calls;
        this.who = method;
    }

    /** The watch of the call whose code runs now (in its Context). */
    static CallWatch current() {
        return CURRENT.get();
    }

    /** The call's Context descends from this one, which {@link #reset} cancels. */
    @Override
    public Context filterContext(Context parent) {
        context = parent.withValue(CURRENT, this).withCancellation();
        return context;
    }

    @Override
    public void serverCallStarted(ServerCallInfo<?, ?> callInfo) {
        who = ClientErrorLog.who(callInfo.getAttributes(), method);
        if (callInfo.getMethodDescriptor().getType().clientSendsOneMessage()) {
            calls.messageDue(this); // a unary call's message is due from the start
        }
    }

    @Override
    public void inboundMessage(int seqNo) {
        calls.messageDue(this); // a stream's next message has begun: it must now arrive in full
    }

    @Override
    public void inboundWireSize(long bytes) {
        calls.hold(this, bytes);
    }

    @Override
    public void streamClosed(Status status) {
        GuardedCall<?, ?> guarded = call;
        calls.ended(this, guarded != null && guarded.closed() ? null : status);
    }

    String who() {
        return who;
    }

    void watch(GuardedCall<?, ?> call) {
        this.call = call;
    }

    void dueIn(long nanos) {
        dueBy = System.nanoTime() + nanos;
    }

    boolean isLate(long now) {
        return now - dueBy > 0;
    }

    /** Ends the call with {@code status} unless it has ended already; true if this ended it. */
    boolean end(Status status) {
        GuardedCall<?, ?> guarded = call;
        return guarded != null && guarded.end(status);
    }

    /**
     * Resets the HTTP/2 stream of a call the server ended before the client had sent all
     * (half-close). HTTP/2 lets a server do so after its final headers (RFC 9113, section 8.1);
     * grpc-java does not (issue #2162), and the stream then stays open until the client ends its
     * side, which a stalled client never does: it would count against its connection's calls and
     * keep the connection from ever being idle.
     *
     * <p>The one way grpc-java offers an application: it cancels the stream of a call whose
     * Context is cancelled with DEADLINE_EXCEEDED (ServerImpl, meant for the client's own
     * deadline), and cancels a stream whose headers were sent with RST_STREAM
     * (NettyServerHandler). To be called from the listener's {@code onComplete}: the trailers are
     * out, every tracer has seen the call's real status, and grpc has not yet ended the call's
     * Context itself. (When grpc ends a call itself, for a message over the size limit, it ends
     * the Context first, and that stream stays open.)
     */
    void reset() {
        context.cancel(Status.DEADLINE_EXCEEDED.withDescription("reset after the call ended").asRuntimeException());
    }
}

package inferbench.grpc.limits;

import inferbench.proto.InferenceGrpc;
import io.grpc.Attributes;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import java.time.Duration;

/**
 * A connection's maximum age, and how a video stream meets it without losing a frame.
 *
 * <p>grpc-java asks a connection to go away (GOAWAY) when it is {@code --max-connection-age}
 * old, give or take 10% so that clients do not all reconnect at once; calls in progress then get
 * a grace period ({@link #grace}) before the connection is cut. A unary call fits in it easily. A
 * PredictStream call lasts as long as its video, and cutting it would lose the frame in flight,
 * so instead the call is ended between two frames, right after an answer, once its connection has
 * surely been asked to go away; the client opens a new call, on a new connection, for its next
 * frame. The grace is half the age: the latest a stream is ended (1.1 x age, plus a frame) is
 * then well before the earliest cut (0.9 x age + grace = 1.4 x age).
 */
final class ConnectionAge extends ServerTransportFilter implements ServerInterceptor {
    static final String CONNECTION_AGED = "the connection has reached its maximum age: open a new call to go on"
            + " with the stream";

    private static final Attributes.Key<Long> CONNECTED_AT = Attributes.Key.create("inferbench.grpc.connected-at");
    private static final String STREAM_METHOD = InferenceGrpc.getPredictStreamMethod().getFullMethodName();

    private final Duration age;

    ConnectionAge(Duration age) {
        this.age = age;
    }

    /** What grpc-java is told: the age (it adds the jitter) and the grace. */
    Duration age() {
        return age;
    }

    Duration grace() {
        return age.dividedBy(2);
    }

    @Override
    public Attributes transportReady(Attributes transportAttrs) {
        return transportAttrs.toBuilder().set(CONNECTED_AT, System.nanoTime()).build();
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        Long connectedAt = call.getAttributes().get(CONNECTED_AT);
        if (connectedAt == null || !call.getMethodDescriptor().getFullMethodName().equals(STREAM_METHOD)) {
            return next.startCall(call, headers);
        }
        // the age plus grpc-java's largest jitter
        StreamCall<ReqT, RespT> stream = new StreamCall<>(call, connectedAt + age.toNanos() / 10 * 11);
        return new SimpleForwardingServerCallListener<>(next.startCall(stream, headers)) {
            @Override
            public void onHalfClose() {
                stream.halfClosed();
                super.onHalfClose();
            }
        };
    }

    /**
     * A stream that ends itself with UNAVAILABLE after an answer, once its connection has gone
     * away, unless the client has sent its last frame (then the handler ends it as usual). From
     * then on it requests no more frames, and the handler's own ending is dropped; the handler
     * learns of the end from its listener.
     */
    private static final class StreamCall<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
        private final long goneAwayBy;
        private boolean halfClosed;
        private boolean ended;

        StreamCall(ServerCall<ReqT, RespT> call, long goneAwayBy) {
            super(call);
            this.goneAwayBy = goneAwayBy;
        }

        synchronized void halfClosed() {
            halfClosed = true;
        }

        @Override
        public synchronized void sendMessage(RespT message) {
            super.sendMessage(message);
            if (!ended && !halfClosed && System.nanoTime() - goneAwayBy >= 0) {
                ended = true;
                super.close(Status.UNAVAILABLE.withDescription(CONNECTION_AGED), new Metadata());
            }
        }

        @Override
        public synchronized void request(int numMessages) {
            if (!ended) {
                super.request(numMessages);
            }
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (!ended) {
                ended = true;
                super.close(status, trailers);
            }
        }
    }
}

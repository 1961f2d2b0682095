package inferbench.grpc;

import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import java.time.Duration;

/**
 * A connection's maximum age, and how a video stream meets it without losing a frame.
 *
 * <p>grpc-java asks a connection to go away (GOAWAY) when it is {@code --max-connection-age}
 * old, give or take 10% so that clients do not all reconnect at once; calls in progress then get
 * a grace period ({@link #grace}) before the connection is cut. A unary call fits in it easily. A
 * PredictStream call lasts as long as its video, and cutting it would lose the frame in flight,
 * so instead it ends itself between two frames once its connection has surely been asked to go
 * away ({@link #goneAwayBy()}), and the client opens a new call, on a new connection, for its next
 * frame. The grace is half the age: the latest a stream ends itself (1.1 x age, plus a frame) is
 * then well before the earliest cut (0.9 x age + grace = 1.4 x age).
 */
final class ConnectionAge extends ServerTransportFilter implements ServerInterceptor {
    private static final Attributes.Key<Long> CONNECTED_AT = Attributes.Key.create("inferbench.grpc.connected-at");
    private static final Context.Key<Long> GONE_AWAY_BY = Context.key("inferbench.grpc.gone-away-by");

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

    /**
     * For a call: the {@code System.nanoTime()} by which its connection has been asked to go away,
     * or {@code Long.MAX_VALUE} outside a call of a server with this limit.
     */
    static long goneAwayBy() {
        Long at = GONE_AWAY_BY.get();
        return at == null ? Long.MAX_VALUE : at;
    }

    @Override
    public Attributes transportReady(Attributes transportAttrs) {
        return transportAttrs.toBuilder().set(CONNECTED_AT, System.nanoTime()).build();
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        Long connectedAt = call.getAttributes().get(CONNECTED_AT);
        if (connectedAt == null) {
            return next.startCall(call, headers);
        }
        long latestGoAway = connectedAt + age.toNanos() / 10 * 11; // the age plus grpc-java's largest jitter
        // Set while the handler starts the call, where a PredictStream reads it; Contexts.interceptCall
        // would also wrap every later callback, which nothing here needs.
        Context withAge = Context.current().withValue(GONE_AWAY_BY, latestGoAway);
        Context previous = withAge.attach();
        try {
            return next.startCall(call, headers);
        } finally {
            withAge.detach(previous);
        }
    }
}

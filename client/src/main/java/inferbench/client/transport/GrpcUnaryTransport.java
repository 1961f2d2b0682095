package inferbench.client.transport;

import com.google.common.util.concurrent.ListenableFuture;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.tls.ClientTls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gRPC unary {@code Predict}: one call per frame on one long-lived channel, answered within the
 * time limit (5 s unless given another).
 *
 * <p>By default the limit is a gRPC deadline on a blocking stub, as a student would write it:
 * the deadline travels with the call, so the server drops the frame too when time is up. The
 * tuned variant ({@link TimeLimit#WAITING_THREAD}) sets no deadline: the waiting thread gives
 * up on a future and cancels the call, which the server also learns of. A deadline arms a timer
 * for every call on both ends; docs/benchmark.md says what leaving it out saves.
 *
 * <p>Thread safe: a channel and its stubs may be shared, and the channel multiplexes the calls
 * of several threads over one HTTP/2 connection.
 */
public final class GrpcUnaryTransport implements Transport {
    private static final String METHOD = InferenceGrpc.getPredictMethod().getBareMethodName();

    /** How a call's time limit is kept. */
    public enum TimeLimit {
        /** {@code withDeadlineAfter}: the deadline goes to the server with the call. */
        DEADLINE,
        /** No deadline: the calling thread waits at most the limit on a future, then cancels. */
        WAITING_THREAD
    }

    private final ManagedChannel channel;
    private final ClientTls tls;
    private final boolean ownsChannel;
    private final TimeLimit limit;
    private final Duration timeout;
    private final InferenceGrpc.InferenceBlockingStub blockingStub;
    private final InferenceGrpc.InferenceFutureStub futureStub;

    /** Opens its own channel to {@code target} (host:port), closed by {@link #close()}; calls have a deadline. */
    public GrpcUnaryTransport(String target) {
        this(target, TimeLimit.DEADLINE);
    }

    public GrpcUnaryTransport(String target, TimeLimit limit) {
        this(target, limit, DEFAULT_TIMEOUT);
    }

    public GrpcUnaryTransport(String target, TimeLimit limit, Duration timeout) {
        this(target, limit, timeout, ClientTls.PLAINTEXT);
    }

    public GrpcUnaryTransport(String target, TimeLimit limit, Duration timeout, ClientTls tls) {
        this(GrpcWire.openChannel(target, tls), tls, true, limit, timeout);
    }

    /** Uses a channel the caller owns and closes. */
    public GrpcUnaryTransport(ManagedChannel channel, TimeLimit limit) {
        this(channel, ClientTls.PLAINTEXT, false, limit, DEFAULT_TIMEOUT);
    }

    private GrpcUnaryTransport(ManagedChannel channel, ClientTls tls, boolean ownsChannel, TimeLimit limit,
                               Duration timeout) {
        this.channel = channel;
        this.tls = tls;
        this.ownsChannel = ownsChannel;
        this.limit = limit;
        this.timeout = timeout;
        this.blockingStub = InferenceGrpc.newBlockingStub(channel);
        this.futureStub = InferenceGrpc.newFutureStub(channel);
    }

    @Override
    public String name() {
        return limit == TimeLimit.DEADLINE ? "gRPC" : "gRPC no deadline";
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Reply send(byte[] jpeg, boolean save) throws Exception {
        Image image = GrpcWire.image(jpeg, save);
        long requestBytes = image.getSerializedSize();
        return limit == TimeLimit.DEADLINE ? withDeadline(image, requestBytes) : timedByCaller(image, requestBytes);
    }

    private Reply withDeadline(Image image, long requestBytes) throws Exception {
        try {
            Detection detection = blockingStub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .predict(image);
            return GrpcWire.reply(detection, requestBytes);
        } catch (StatusRuntimeException e) {
            if (Thread.interrupted()) { // the blocking stub cancels the call and keeps the interrupt
                throw new InterruptedException("the gRPC call was cancelled");
            }
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                channel.resetConnectBackoff(); // as GrpcWire.failure does: the server may be back
                throw new TimeoutException("gRPC: " + Transport.noAnswerWithin(timeout) + " (deadline exceeded)");
            }
            return GrpcWire.failure(e, channel, tls, requestBytes, METHOD);
        }
    }

    private Reply timedByCaller(Image image, long requestBytes) throws Exception {
        ListenableFuture<Detection> call = futureStub.predict(image);
        try {
            return GrpcWire.reply(call.get(timeout.toMillis(), TimeUnit.MILLISECONDS), requestBytes);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new TimeoutException("gRPC: " + Transport.noAnswerWithin(timeout) + "; the call was cancelled");
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return GrpcWire.failure(e.getCause(), channel, tls, requestBytes, METHOD);
        }
    }

    @Override
    public void close() {
        if (ownsChannel) {
            GrpcWire.closeChannel(channel);
        }
    }
}

package inferbench.client.transport;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.tls.ClientTls;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gRPC unary {@code Predict}: one call per frame on one long-lived channel, answered within the
 * time limit (5 s unless given another).
 *
 * <p>The limit is a gRPC deadline on a blocking stub, as a student would write it: the deadline
 * travels with the call, so the server drops the frame too when time is up. (The benchmark
 * measures a variant without one beside it: docs/benchmark.md.)
 *
 * <p>Thread safe: a channel and its stubs may be shared, and the channel multiplexes the calls
 * of several threads over one HTTP/2 connection.
 */
public final class GrpcUnaryTransport implements Transport {
    private static final String METHOD = InferenceGrpc.getPredictMethod().getBareMethodName();

    private final ManagedChannel channel;
    private final ClientTls tls;
    private final boolean ownsChannel;
    private final Duration timeout;
    private final InferenceGrpc.InferenceBlockingStub stub;

    /** Opens its own channel to {@code target} (host:port), closed by {@link #close()}. */
    public GrpcUnaryTransport(String target) {
        this(target, DEFAULT_TIMEOUT);
    }

    public GrpcUnaryTransport(String target, Duration timeout) {
        this(target, timeout, ClientTls.PLAINTEXT);
    }

    /** @param tls TLS for the channel, or {@link ClientTls#PLAINTEXT} */
    public GrpcUnaryTransport(String target, Duration timeout, ClientTls tls) {
        this(GrpcWire.openChannel(target, tls), tls, true, timeout);
    }

    /** Uses a channel the caller owns and closes. */
    public GrpcUnaryTransport(ManagedChannel channel) {
        this(channel, ClientTls.PLAINTEXT, false, DEFAULT_TIMEOUT);
    }

    private GrpcUnaryTransport(ManagedChannel channel, ClientTls tls, boolean ownsChannel, Duration timeout) {
        this.channel = channel;
        this.tls = tls;
        this.ownsChannel = ownsChannel;
        this.timeout = timeout;
        this.stub = InferenceGrpc.newBlockingStub(channel);
    }

    @Override
    public String name() {
        return "gRPC";
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Reply send(byte[] jpeg, boolean save) throws Exception {
        Image image = GrpcWire.image(jpeg, save);
        long requestBytes = image.getSerializedSize();
        try {
            Detection detection = stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).predict(image);
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

    @Override
    public void close() {
        if (ownsChannel) {
            GrpcWire.closeChannel(channel);
        }
    }
}

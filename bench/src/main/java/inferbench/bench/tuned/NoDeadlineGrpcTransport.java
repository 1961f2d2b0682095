package inferbench.bench.tuned;

import com.google.common.util.concurrent.ListenableFuture;
import inferbench.client.transport.GrpcWire;
import inferbench.client.transport.Reply;
import inferbench.client.transport.Transport;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.tls.ClientTls;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gRPC unary {@code Predict} without a deadline (the benchmark's {@code grpc-unary-no-deadline}),
 * measured beside the client's {@code GrpcUnaryTransport}, which sets one on every call: here the
 * waiting thread gives up on a future after the time limit and cancels the call, which the
 * server also learns of. A deadline arms a timer for every call on both ends; docs/benchmark.md
 * says what leaving it out saves. Thread safe, like the client's.
 */
public final class NoDeadlineGrpcTransport implements Transport {
    private static final String METHOD = InferenceGrpc.getPredictMethod().getBareMethodName();

    private final ManagedChannel channel;
    private final ClientTls tls;
    private final Duration timeout;
    private final InferenceGrpc.InferenceFutureStub stub;

    /** Opens its own channel to {@code target} (host:port), closed by {@link #close()}. */
    public NoDeadlineGrpcTransport(String target, Duration timeout) {
        this(target, timeout, ClientTls.PLAINTEXT);
    }

    /** @param tls TLS for the channel, or {@link ClientTls#PLAINTEXT} */
    public NoDeadlineGrpcTransport(String target, Duration timeout, ClientTls tls) {
        this.channel = GrpcWire.openChannel(target, tls);
        this.tls = tls;
        this.timeout = timeout;
        this.stub = InferenceGrpc.newFutureStub(channel);
    }

    @Override
    public String name() {
        return "gRPC no deadline";
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Reply send(byte[] jpeg, boolean save) throws Exception {
        Image image = GrpcWire.image(jpeg, save);
        long requestBytes = image.getSerializedSize();
        ListenableFuture<Detection> call = stub.predict(image);
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
        GrpcWire.closeChannel(channel);
    }
}

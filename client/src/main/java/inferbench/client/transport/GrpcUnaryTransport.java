package inferbench.client.transport;

import com.google.common.util.concurrent.ListenableFuture;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import io.grpc.ManagedChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gRPC unary {@code Predict}: one call per frame on one long-lived channel, answered within 5 s.
 *
 * <p>The 5 s limit is kept by the waiting thread, which cancels the call when it runs out (the
 * server then drops the frame if it is still waiting for a worker), and not by a gRPC deadline.
 * A deadline arms a timer for every call on both ends, and that measured 0.05 to 0.1 ms more
 * overhead per call at 1 in flight (README, "Where the overhead goes"). On the client's own
 * channels (directExecutor) the future completes on the event loop, which wakes the waiting
 * thread once per call.
 *
 * <p>Thread safe: a channel and its stubs may be shared, and the channel multiplexes the calls
 * of several threads over one HTTP/2 connection.
 */
public final class GrpcUnaryTransport implements Transport {
    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final InferenceGrpc.InferenceFutureStub stub;

    /** Opens its own channel to {@code target} (host:port), closed by {@link #close()}. */
    public GrpcUnaryTransport(String target) {
        this(GrpcWire.openChannel(target), true);
    }

    /** Uses a channel the caller owns and closes. */
    public GrpcUnaryTransport(ManagedChannel channel) {
        this(channel, false);
    }

    private GrpcUnaryTransport(ManagedChannel channel, boolean ownsChannel) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.stub = InferenceGrpc.newFutureStub(channel);
    }

    @Override
    public String name() {
        return "gRPC";
    }

    @Override
    public Reply send(byte[] jpeg, boolean save) throws InterruptedException, TimeoutException {
        Image image = GrpcWire.image(jpeg, save);
        long requestBytes = image.getSerializedSize();
        ListenableFuture<Detection> call = stub.predict(image);
        try {
            return GrpcWire.reply(call.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), requestBytes);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new TimeoutException("gRPC: no answer within " + TIMEOUT.toSeconds() + " s; the call was cancelled");
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return GrpcWire.failure(e.getCause(), channel, requestBytes);
        }
    }

    @Override
    public void close() {
        if (ownsChannel) {
            GrpcWire.closeChannel(channel);
        }
    }
}

package inferbench.client.transport;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;

/**
 * gRPC unary {@code Predict}: one call per frame on one long-lived channel, with a 5 s deadline.
 *
 * <p>Thread safe: a channel and its stubs may be shared, and the channel multiplexes the calls
 * of several threads over one HTTP/2 connection.
 */
public final class GrpcUnaryTransport implements Transport {
    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final InferenceGrpc.InferenceBlockingStub stub;

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
        this.stub = InferenceGrpc.newBlockingStub(channel);
    }

    @Override
    public String name() {
        return "gRPC";
    }

    @Override
    public Reply send(byte[] jpeg, boolean save) {
        Image image = GrpcWire.image(jpeg, save);
        long requestBytes = image.getSerializedSize();
        try {
            Detection detection = stub.withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).predict(image);
            return GrpcWire.reply(detection, requestBytes);
        } catch (StatusRuntimeException e) {
            if (GrpcWire.noAnswer(e.getStatus())) {
                // After failed connects the channel waits longer and longer (up to 2 minutes)
                // before trying again; retry now, so a server that is back is used at once.
                channel.resetConnectBackoff();
                throw e;
            }
            return Reply.refused(GrpcWire.describe(e.getStatus()), requestBytes, 0);
        }
    }

    @Override
    public void close() {
        if (ownsChannel) {
            GrpcWire.closeChannel(channel);
        }
    }
}

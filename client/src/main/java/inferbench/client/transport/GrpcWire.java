package inferbench.client.transport;

import com.google.protobuf.ByteString;
import inferbench.pipeline.Box;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.tls.ClientTls;
import inferbench.tls.TlsFailure;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the gRPC transports share (the client's two, and the benchmark's unary call without a
 * deadline): the channel's life, and the messages to and from Reply.
 */
public final class GrpcWire {
    private GrpcWire() {
    }

    /**
     * A channel, plaintext as the original client opens it or with TLS, which checks the
     * server's certificate against the target's host name; it connects on the first call.
     * Callbacks run on the transport's own thread (directExecutor): they only hand an answer to
     * the thread waiting for it, so a pool between the two would add a hand-off and nothing else.
     *
     * <p>Retries are off. A live video client never sends a frame twice, since the next frame is
     * newer, and grpc-java's retry layer, on by default, wraps every call even when no retry
     * ever happens (docs/benchmark.md says what it costs). A call that fails is reported, and
     * the caller moves on.
     */
    public static ManagedChannel openChannel(String target, ClientTls tls) {
        return Grpc.newChannelBuilder(target, credentials(tls))
                .directExecutor()
                .disableRetry()
                .build();
    }

    /** Plaintext, or TLS trusting what {@code tls} trusts (the host name is always checked). */
    public static ChannelCredentials credentials(ClientTls tls) {
        return tls.enabled()
                ? TlsChannelCredentials.newBuilder().trustManager(tls.trustManagers()).build()
                : InsecureChannelCredentials.create();
    }

    /** Lets in-flight calls finish for a moment, then cuts the rest. */
    public static void closeChannel(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The JPEG is copied into the message, as protobuf's API intends: wrapping the array instead
     * ({@code UnsafeByteOperations.unsafeWrap}) was measured and saves too little to be worth the
     * "unsafe" (docs/performance-notes.md).
     */
    public static Image image(byte[] jpeg, boolean save) {
        return Image.newBuilder()
                .setData(ByteString.copyFrom(jpeg))
                .setMime("image/jpeg")
                .setSave(save)
                .build();
    }

    public static Reply reply(Detection detection, long requestBytes) {
        long responseBytes = detection.getSerializedSize();
        if (!detection.getError().isEmpty()) {
            return Reply.refused(detection.getError(), requestBytes, responseBytes);
        }
        List<Box> boxes = new ArrayList<>(detection.getBoxesCount());
        for (inferbench.proto.Box b : detection.getBoxesList()) {
            boxes.add(new Box(b.getX(), b.getY(), b.getW(), b.getH()));
        }
        return new Reply(detection.getStatus(), boxes, detection.getScoresList(), detection.getDetectionCount(),
                detection.getLatencyMs(), detection.getFilename(), detection.getSaveError(), "",
                requestBytes, responseBytes);
    }

    /**
     * A call that ended in an error instead of a Detection. UNAVAILABLE, DEADLINE_EXCEEDED and
     * CANCELLED are what grpc-java reports itself when no answer came (no connection, the call
     * was cut): those are thrown, as {@link Transport#send} promises. UNIMPLEMENTED means the
     * server has no such method, and a port that answers in HTTP/1.1 (INTERNAL "http2
     * exception", the REST server's) has no gRPC at all: both are thrown as
     * {@link NotOfferedException}. Any other status
     * was the server's answer to this frame, such as INVALID_ARGUMENT for a bad frame or
     * RESOURCE_EXHAUSTED when busy, and becomes a refused Reply.
     *
     * A failure that TLS explains (an untrusted certificate, a plaintext port) says so.
     *
     * @param method the method called, such as "PredictStream"
     */
    public static Reply failure(Throwable error, ManagedChannel channel, ClientTls tls, long requestBytes,
                                String method)
            throws NotOfferedException {
        Status status = Status.fromThrowable(error);
        String tlsProblem = TlsFailure.explain(error, tls); // certain with TLS on, a guess without
        if (!(tlsProblem != null && tls.enabled())
                && (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNAVAILABLE)
                && !refusedConnection(error) && OtherProtocol.speaksHttp1(channel.authority())) {
            throw new NotOfferedException(NotOfferedException.GRPC, "likely a REST port: " + channel.authority()
                    + " answers in HTTP/1.1, not HTTP/2");
        }
        switch (status.getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED -> {
                // After failed connects the channel waits longer and longer (up to 2 minutes)
                // before trying again; retry now, so a server that is back is used at once.
                channel.resetConnectBackoff();
                throw (tlsProblem == null ? status : status.withDescription(tlsProblem)).asRuntimeException();
            }
            case UNIMPLEMENTED -> throw new NotOfferedException(method, "this server has no " + method);
            default -> {
                return Reply.refused(describe(status), requestBytes, 0);
            }
        }
    }

    private static boolean refusedConnection(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Status status) {
        return status.getDescription() == null ? status.getCode().toString()
                : status.getCode() + ": " + status.getDescription();
    }
}

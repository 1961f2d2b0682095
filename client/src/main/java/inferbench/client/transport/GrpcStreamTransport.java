package inferbench.client.transport;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.tls.ClientTls;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * gRPC {@code PredictStream}: every frame goes on one long-lived bidirectional call, one frame
 * in flight at a time (send it, wait for its Detection), which is how a video client uses it.
 *
 * <p>The call has no deadline, since it lives as long as the video; each frame gets the time
 * limit (5 s unless given another) instead. After a timeout, or when the call ends (server
 * gone, call refused), the call is cancelled and the next {@link #send} opens a new one, so a
 * server that comes back is used again without any help. A server may also end the call
 * between two frames, after answering one (its connection has reached its maximum age, or it
 * is stopping): the next frame then goes on a new call, with no error.
 *
 * <p>Not for sharing: {@link #send} is synchronized, so threads sharing one transport take
 * turns. For several frames in flight, give each thread its own stream transport (they may
 * share one channel).
 */
public final class GrpcStreamTransport implements Transport {
    private final ManagedChannel channel;
    private final ClientTls tls;
    private final boolean ownsChannel;
    private final InferenceGrpc.InferenceStub stub;
    private final Duration timeout;
    private OpenCall call; // null before the first frame and after a failure

    /** Opens its own channel to {@code target} (host:port), closed by {@link #close()}. */
    public GrpcStreamTransport(String target) {
        this(target, DEFAULT_TIMEOUT);
    }

    public GrpcStreamTransport(String target, Duration timeout) {
        this(target, timeout, ClientTls.PLAINTEXT);
    }

    public GrpcStreamTransport(String target, Duration timeout, ClientTls tls) {
        this(GrpcWire.openChannel(target, tls), tls, true, timeout);
    }

    /** Uses a channel the caller owns and closes. */
    public GrpcStreamTransport(ManagedChannel channel) {
        this(channel, ClientTls.PLAINTEXT, false, DEFAULT_TIMEOUT);
    }

    private GrpcStreamTransport(ManagedChannel channel, ClientTls tls, boolean ownsChannel, Duration timeout) {
        this.channel = channel;
        this.tls = tls;
        this.ownsChannel = ownsChannel;
        this.timeout = timeout;
        this.stub = InferenceGrpc.newStub(channel);
    }

    @Override
    public String name() {
        return "gRPC stream";
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public synchronized Reply send(byte[] jpeg, boolean save) throws IOException, TimeoutException, InterruptedException {
        if (call == null || call.ended()) {
            call = new OpenCall(stub);
        }
        Image image = GrpcWire.image(jpeg, save);
        long requestBytes = image.getSerializedSize();
        call.requests.onNext(image);
        Object answer = call.answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (answer instanceof Detection detection) {
            return GrpcWire.reply(detection, requestBytes);
        }
        OpenCall broken = call;
        call = null;
        if (answer == null) {
            broken.requests.cancel(Transport.noAnswerWithin(timeout), null);
            throw new TimeoutException("gRPC stream: " + Transport.noAnswerWithin(timeout)
                    + "; the call was cancelled and the next frame opens a new one");
        }
        if (answer instanceof Throwable error) {
            return GrpcWire.failure(error, channel, tls, requestBytes,
                    InferenceGrpc.getPredictStreamMethod().getBareMethodName());
        }
        throw new IOException("gRPC stream: the server ended the call without answering the frame");
    }

    @Override
    public synchronized void close() {
        if (call != null) {
            call.requests.onCompleted(); // half-close: the server ends the call cleanly
            call = null;
        }
        if (ownsChannel) {
            GrpcWire.closeChannel(channel);
        }
    }

    /** One PredictStream call; its queue receives Detections, then the call's end. */
    private static final class OpenCall implements StreamObserver<Detection> {
        private static final Object COMPLETED = new Object();

        // Unbounded in type only: one frame is in flight, so it holds at most one answer and an end.
        final BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        final ClientCallStreamObserver<Image> requests;

        OpenCall(InferenceGrpc.InferenceStub stub) {
            this.requests = (ClientCallStreamObserver<Image>) stub.predictStream(this);
        }

        /** Between frames nothing is queued, unless the server has ended the call since the last answer. */
        boolean ended() {
            return !answers.isEmpty();
        }

        @Override
        public void onNext(Detection detection) {
            answers.add(detection);
        }

        @Override
        public void onError(Throwable error) {
            answers.add(error);
        }

        @Override
        public void onCompleted() {
            answers.add(COMPLETED);
        }
    }
}

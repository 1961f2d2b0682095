package inferbench.grpc;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.server.WorkerPool;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One {@code PredictStream} call: video frames in, one {@link Detection} per frame out, in order.
 *
 * <p>Flow control, as grpc-java's manualflowcontrol example: the next frame is requested only
 * once the previous one is answered and the response side can take more ({@code isReady}), so a
 * call holds one frame, and a client that sends faster than detection waits on the HTTP/2 window:
 * its frames queue on its side, not in the server.
 *
 * <p>A frame that cannot be processed (bad data, wrong mime type, server busy) is answered in its
 * place with status {@code ERROR} and the reason; the call goes on. A frame whose client has gone
 * while it waited for a worker is not detected. When the server stops, the frame in hand is
 * answered and the call ends with UNAVAILABLE, so the client reconnects at once. The limits may
 * end a call too (inferbench.grpc.limits); the close handler says so. Callbacks come on the event
 * loop and on a worker, so the state is guarded by this object's lock.
 */
final class FrameStream implements StreamObserver<Image> {
    static final String SHUTTING_DOWN = "server shutting down: reconnect to go on with the stream";

    private final ServerCallStreamObserver<Detection> call;
    private final InferenceService service;
    private final WorkerPool workers;

    private int framesHeld;           // received and not answered yet: 0 or 1
    private boolean waitingForReady;  // the next frame is due once the response side drains
    private boolean halfClosed;       // the client has sent its last frame
    private boolean ending;           // the server is stopping: end after the frame in hand
    private boolean done;             // completed, ended or cancelled: nothing more goes out

    private FrameStream(ServerCallStreamObserver<Detection> call, InferenceService service, WorkerPool workers) {
        this.call = call;
        this.service = service;
        this.workers = workers;
    }

    /** Sets up flow control; must run inside the service method, before the call starts. */
    static FrameStream open(ServerCallStreamObserver<Detection> call, InferenceService service, WorkerPool workers) {
        FrameStream stream = new FrameStream(call, service, workers);
        call.disableAutoRequest();
        call.setOnReadyHandler(stream::onReady);
        // with a handler set, sending after a cancel is a no-op, not an exception
        call.setOnCancelHandler(stream::onEnded);
        call.setOnCloseHandler(stream::onEnded);  // the call has ended: answered, or ended by the limits
        call.request(1);
        return stream;
    }

    @Override
    public void onNext(Image frame) {
        synchronized (this) {
            if (done) {
                return; // requested before the call ended; nobody will read its answer
            }
            framesHeld++;
        }
        // null: the client gave up while the frame waited for a worker
        workers.trySubmit(() -> call.isCancelled() ? null : service.detect(frame)).ifPresentOrElse(
                detection -> detection.whenComplete((answer, error) -> answer(error == null ? answer
                        : InferenceService.frameError(InferenceService.statusOf(error).getDescription()))),
                () -> answer(InferenceService.frameError(workers.busyMessage())));
    }

    @Override
    public synchronized void onCompleted() {
        halfClosed = true;
        if (framesHeld == 0) {
            finish();
        }
    }

    @Override
    public synchronized void onError(Throwable cancelled) {
        onEnded(); // the client cancelled or the connection broke: there is nobody to answer
    }

    /** The server is stopping: answer the frame in hand, if any, then end the call. */
    synchronized void endForShutdown() {
        ending = true;
        if (framesHeld == 0) {
            finish();
        }
    }

    private synchronized void answer(Detection detection) {
        framesHeld--;
        if (done || detection == null) {
            return;
        }
        call.onNext(detection);
        if (halfClosed || ending) {
            finish();
        } else if (call.isReady()) {
            call.request(1);
        } else {
            waitingForReady = true;
        }
    }

    private synchronized void onReady() {
        if (waitingForReady && !done) {
            waitingForReady = false;
            call.request(1);
        }
    }

    private synchronized void onEnded() {
        done = true;
        service.streamEnded(this);
    }

    private void finish() {
        if (done) {
            return;
        }
        onEnded();
        if (halfClosed) {
            call.onCompleted();
        } else {
            call.onError(Status.UNAVAILABLE.withDescription(SHUTTING_DOWN).asException());
        }
    }
}

package inferbench.grpc;

import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.DetectionResult;
import inferbench.pipeline.InvalidImageException;
import inferbench.proto.Box;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.server.WorkerPool;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code img.Inference}: maps an {@link Image} to the shared pipeline and its result to a
 * {@link Detection}, field for field as the original Python service answers.
 *
 * <p>The handlers run on Netty's event loop (see {@link GrpcServer}) and never block it: each
 * image takes a {@link WorkerPool} slot, or is refused at once, and the detection runs on a
 * worker thread, which also sends the answer.
 */
final class InferenceService extends InferenceGrpc.InferenceImplBase {
    /** Written to records.csv for results saved through this server. */
    static final String PROTOCOL = "gRPC";

    private static final Logger LOG = Logger.getLogger(InferenceService.class.getName());

    private final DetectionPipeline pipeline;
    private final WorkerPool workers;
    private final Set<FrameStream> openStreams = ConcurrentHashMap.newKeySet();

    InferenceService(DetectionPipeline pipeline, WorkerPool workers) {
        this.pipeline = pipeline;
        this.workers = workers;
    }

    @Override
    public void predict(Image image, StreamObserver<Detection> responseObserver) {
        ServerCallStreamObserver<Detection> call = (ServerCallStreamObserver<Detection>) responseObserver;
        // null: the client gave up (deadline, cancel) while this waited for a worker
        Optional<CompletableFuture<Detection>> detection =
                workers.trySubmit(() -> call.isCancelled() ? null : detect(image));
        if (detection.isEmpty()) {
            call.onError(Status.RESOURCE_EXHAUSTED.withDescription(workers.busyMessage()).asException());
            return;
        }
        detection.get().whenComplete((answer, error) -> {
            if (error != null) {
                call.onError(statusOf(error).asException());
            } else if (answer != null) {
                call.onNext(answer);
                call.onCompleted();
            }
        });
    }

    @Override
    public StreamObserver<Image> predictStream(StreamObserver<Detection> responseObserver) {
        FrameStream stream = FrameStream.open((ServerCallStreamObserver<Detection>) responseObserver, this, workers);
        openStreams.add(stream);
        return stream;
    }

    /**
     * For a stop: video streams never end on their own, so each one answers the frame in hand
     * and ends, instead of holding the stop until its grace period runs out.
     */
    void endStreams() {
        openStreams.forEach(FrameStream::endForShutdown);
    }

    void streamEnded(FrameStream stream) {
        openStreams.remove(stream);
    }

    /** Runs one image through the pipeline; a refused image is INVALID_ARGUMENT saying why. */
    Detection detect(Image image) throws StatusException {
        String mime = image.getMime();
        if (!mime.isEmpty() && !DetectionPipeline.isJpegMediaType(mime)) {
            throw Status.INVALID_ARGUMENT.withDescription(DetectionPipeline.ONLY_JPEG).asException();
        }
        try {
            return toDetection(pipeline.process(image.getData().toByteArray(), image.getSave(), PROTOCOL));
        } catch (InvalidImageException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
        }
    }

    /**
     * What the client is told of a detection that failed: a refusal as it is; a fault of this
     * server's is logged in full, and the client told only that.
     */
    static Status statusOf(Throwable error) {
        if (error instanceof StatusException refused) {
            return refused.getStatus();
        }
        LOG.log(Level.SEVERE, "detection failed", error);
        return Status.INTERNAL.withDescription("internal server error"); // the REST server's words
    }

    static Detection toDetection(DetectionResult result) {
        Detection.Builder detection = Detection.newBuilder()
                .setLabel(result.label())
                .addAllScores(result.scores())
                .setDetectionCount(result.detectionCount())
                .setLatencyMs((float) result.latencyMs())
                .setFilename(result.filename())
                .setStatus(result.status())
                .setSaveError(result.saveError());
        result.boxes().forEach(box ->
                detection.addBoxes(Box.newBuilder().setX(box.x()).setY(box.y()).setW(box.w()).setH(box.h())));
        return detection.build();
    }

    /** A stream frame that could not be processed: reported in its place, and the call goes on. */
    static Detection frameError(String message) {
        return Detection.newBuilder().setLabel(DetectionResult.LABEL).setStatus("ERROR").setError(message).build();
    }
}

package inferbench.grpc.metrics;

import inferbench.grpc.GrpcServer;
import inferbench.metrics.Outcome;
import inferbench.metrics.ServerMetrics;
import inferbench.pipeline.DetectionPipeline;
import inferbench.proto.Detection;
import inferbench.proto.InferenceGrpc;
import inferbench.server.LimitsReport;
import inferbench.server.WorkerPool;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The gRPC server's Prometheus metrics ({@link ServerMetrics}, protocol "grpc"), served at
 * {@code GET /metrics} on an HTTP port of their own ({@link MetricsPort}), since the gRPC port
 * speaks HTTP/2 only.
 *
 * <p>A stream tracer per {@code img.Inference} call ({@link CallMetrics}) sees what grpc-java
 * reports of it: its start, each message arriving, and the status it really ends with, including
 * the calls grpc ends itself (a message over --max-body). A {@code PredictStream} call answers
 * many frames, each a request here, and may answer one with an error in its place: an
 * interceptor hands each answer sent to the call's tracer. It is added after the limits', so it
 * sees only the answers the limits let out. Health and reflection calls are not counted.
 */
public final class GrpcMetrics extends ServerStreamTracer.Factory implements GrpcServer.Watcher, ServerInterceptor {
    private static final String COUNTED = InferenceGrpc.SERVICE_NAME + "/";
    private static final String STREAM = InferenceGrpc.getPredictStreamMethod().getFullMethodName();
    /** InferenceService's words for a fault of its own, in a stream frame's answer (REST's too). */
    private static final String INTERNAL_ERROR = "internal server error";
    private static final ServerStreamTracer NOT_COUNTED = new ServerStreamTracer() { };

    private final ServerMetrics metrics;
    private final LimitsReport limits;
    private final MetricsPort port;

    /** Binds and starts the metrics port, {@code address} (port 0: any free one). */
    public GrpcMetrics(LimitsReport limits, InetSocketAddress address) throws IOException {
        this.metrics = new ServerMetrics("grpc", limits);
        this.limits = limits;
        this.port = MetricsPort.start(address, metrics.registry());
    }

    /** Where the metrics port listens: with port 0, the port the system chose. */
    public InetSocketAddress address() {
        return port.address();
    }

    @Override
    public void attachTo(ServerBuilder<?> builder, WorkerPool workers) {
        metrics.watch(workers, result -> result instanceof Detection answer ? new ServerMetrics.Found(
                answer.getDetectionCount(), !answer.getFilename().isEmpty(), !answer.getSaveError().isEmpty()) : null);
        builder.addStreamTracerFactory(this).intercept(this);
    }

    @Override
    public void close() {
        port.close();
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return fullMethodName.startsWith(COUNTED) ? new CallMetrics(fullMethodName.equals(STREAM), metrics, limits)
                : NOT_COUNTED;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        CallMetrics counted = CallMetrics.current(); // a PredictStream call's only
        if (counted == null) {
            return next.startCall(call, headers);
        }
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(RespT message) {
                super.sendMessage(message);
                if (message instanceof Detection answer) {
                    counted.answered(answer);
                }
            }
        }, headers);
    }

    /** How a call's status ends a request (docs/metrics.md). */
    static Outcome outcomeOf(Status status, boolean stopping) {
        String description = status.getDescription() == null ? "" : status.getDescription();
        return switch (status.getCode()) {
            case OK -> Outcome.OK;
            case INVALID_ARGUMENT -> description.equals(DetectionPipeline.ONLY_JPEG)
                    ? Outcome.UNSUPPORTED_MEDIA_TYPE : Outcome.BAD_REQUEST;
            case UNIMPLEMENTED -> Outcome.BAD_REQUEST;
            // RESOURCE_EXHAUSTED is gRPC's word for both "busy" and "too large" (grpc-java's own
            // words for a message over --max-body); the third kind is a stream whose client stopped reading
            case RESOURCE_EXHAUSTED -> description.startsWith(Outcome.BUSY_WORDS) ? Outcome.BUSY
                    : description.contains("exceeds maximum size") ? Outcome.TOO_LARGE : Outcome.CLIENT_GONE;
            case DEADLINE_EXCEEDED -> Outcome.TIMEOUT;
            case CANCELLED, UNAVAILABLE -> stopping ? Outcome.SHUTTING_DOWN : Outcome.CLIENT_GONE;
            default -> Outcome.INTERNAL;
        };
    }

    /** How a stream frame's answer ends it: a detection, or an error in the frame's place. */
    static Outcome outcomeOf(Detection answer) {
        if (!answer.getStatus().equals("ERROR")) {
            return Outcome.OK;
        }
        String error = answer.getError();
        if (error.startsWith(Outcome.BUSY_WORDS)) {
            return Outcome.BUSY;
        }
        if (error.equals(DetectionPipeline.ONLY_JPEG)) {
            return Outcome.UNSUPPORTED_MEDIA_TYPE;
        }
        return error.equals(INTERNAL_ERROR) ? Outcome.INTERNAL : Outcome.BAD_REQUEST;
    }
}

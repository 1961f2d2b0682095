package inferbench.grpc;

import inferbench.pipeline.DetectionPipeline;
import inferbench.proto.InferenceGrpc;
import inferbench.server.ListenAddress;
import inferbench.server.ServerMain;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The gRPC server: {@link InferenceService} on grpc-java's Netty transport, beside the standard
 * health and reflection services (grpcurl and Kubernetes gRPC probes work unchanged). Its
 * {@link Limits} attach to the builder as options, interceptors, a tracer and a transport filter
 * (inferbench.grpc.limits), and its {@link Watcher}s, the access log and the metrics
 * (inferbench.grpc.metrics), as tracers and interceptors; {@link GrpcServerMain} puts them
 * together and runs them. With a certificate ({@code --tls-cert}) it serves TLS ({@link GrpcTls}).
 */
public final class GrpcServer implements ServerMain.Server {
    public static final int DEFAULT_PORT = 50051;

    /** What the server's limits add to it: to its builder, and to a stop. */
    public interface Limits {
        /** Adds the limits to the builder; returns the builder to add the services to. */
        ServerBuilder<?> attachTo(NettyServerBuilder builder);

        /** Ends the calls with no admitted work, waits up to {@code timeout} for the others, then closes. */
        boolean drain(Server server, Duration timeout);

        /** Releases the limits' own threads. */
        void close();
    }

    /** What watches each call from beside the server: the access log, the metrics. */
    public interface Watcher {
        /** Adds its stream tracers and interceptors to the builder; may observe the workers. */
        void attachTo(ServerBuilder<?> builder, WorkerPool workers);

        /** Releases what it holds of its own (the metrics' port) once the server has stopped. */
        default void close() {
        }
    }

    private final ServerSettings settings;
    private final Limits limits;
    private final List<Watcher> watchers;
    private final WorkerPool workers;
    private final InferenceService service;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Server server;
    private final GrpcTls tls;

    public GrpcServer(ServerSettings settings, DetectionPipeline pipeline, List<Watcher> watchers, Limits limits) {
        this.settings = settings;
        this.limits = limits;
        this.watchers = watchers;
        this.workers = new WorkerPool(settings.workers(), settings.queue(), "grpc-worker-");
        this.service = new InferenceService(pipeline, workers);
        this.tls = GrpcTls.of(settings.tls());
        ServerBuilder<?> builder = limits.attachTo(NettyServerBuilder.forAddress(ListenAddress.resolve(settings),
                        tls.credentials()))
                // Handlers run on Netty's event loop: they only hand the request to the WorkerPool (or
                // refuse it) and never block. A grpc executor would queue every request, unbounded.
                .directExecutor()
                // The REST body limit: grpc reads the length prefix first and refuses a bigger
                // message with RESOURCE_EXHAUSTED before buffering it.
                .maxInboundMessageSize(Math.toIntExact(settings.limits().maxBodyBytes()))
                .addService(service)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        // Added after the limits' interceptors, so the watchers see each call as the limits left it.
        watchers.forEach(watcher -> watcher.attachTo(builder, workers));
        this.server = builder.build();
    }

    /** Binds and serves; health says SERVING from here on (the pipeline has loaded). */
    public GrpcServer start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            limits.close();
            watchers.forEach(Watcher::close);
            workers.shutdown(Duration.ZERO);
            throw ListenAddress.bindFailure(settings, e);
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        health.setStatus(InferenceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return this;
    }

    @Override
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        health.enterTerminalState();
        server.shutdown(); // GOAWAY: clients open no more calls here
        service.endStreams(); // each video stream answers its frame in hand, then ends
        boolean drained = limits.drain(server, grace);
        drained &= workers.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        limits.close();
        watchers.forEach(Watcher::close);
        return drained;
    }

    /** The port actually bound: the configured one, or the one the system chose for port 0. */
    public int port() {
        return server.getPort();
    }

    @Override
    public String where() {
        return ListenAddress.hostPort((InetSocketAddress) server.getListenSockets().get(0));
    }

    @Override
    public String tls() {
        return tls.description();
    }

    @Override
    public int requestsInFlight() {
        return workers.inFlight();
    }
}

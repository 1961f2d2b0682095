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
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The gRPC server: {@link InferenceService} on grpc-java's Netty transport, beside the standard
 * health and reflection services (grpcurl and Kubernetes gRPC probes work unchanged). Its
 * {@link Limits} attach to the builder as options, interceptors, a tracer and a transport filter
 * (inferbench.grpc.limits); {@link GrpcServerMain} puts the two together and runs them.
 * With a certificate ({@code --tls-cert}) it serves TLS ({@link GrpcTls}).
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

    private final ServerSettings settings;
    private final Limits limits;
    private final WorkerPool workers;
    private final InferenceService service;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Server server;
    private final GrpcTls tls;

    /** @param accessLog where the access log goes, or null for none */
    public GrpcServer(ServerSettings settings, DetectionPipeline pipeline, PrintStream accessLog, Limits limits) {
        this.settings = settings;
        this.limits = limits;
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
        if (accessLog != null) {
            builder.addStreamTracerFactory(new AccessLog(accessLog));
        }
        this.server = builder.build();
    }

    /** Binds and serves; health says SERVING from here on (the pipeline has loaded). */
    public GrpcServer start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            limits.close();
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

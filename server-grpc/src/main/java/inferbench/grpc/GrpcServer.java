package inferbench.grpc;

import inferbench.pipeline.DetectionPipeline;
import inferbench.proto.InferenceGrpc;
import inferbench.server.ListenAddress;
import inferbench.server.ServerMain;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gRPC server: {@link InferenceService} on grpc-java's Netty transport, beside the standard
 * health and reflection services so grpcurl and Kubernetes gRPC probes work unchanged.
 *
 * <p>{@code start}, {@code stop} and {@code blockUntilShutdown} follow grpc-java's
 * HelloWorldServer. Tests build it with port 0 and read {@link #port()}.
 */
public final class GrpcServer implements ServerMain.Server {
    static final String NAME = "server-grpc";
    public static final int DEFAULT_PORT = 50051;

    static final String USAGE = """
            usage: java -jar server-grpc.jar [options]
                   java -jar server-grpc.jar --probe [--host HOST] [--port N]

            Serves img.Inference (Predict, PredictStream), grpc.health.v1.Health and server
            reflection over plaintext HTTP/2. Options, or the environment variables in brackets:
            """ + ServerSettings.usage(DEFAULT_PORT) + """
              --probe           ask a running server's health service; exit 0 when SERVING, else 1
              --host HOST       with --probe: the server's address (default 127.0.0.1)
              --help            print this help

            """ + ServerMain.EXIT_STATUS_HELP;

    /**
     * grpc logs every message over the size limit as a WARNING with a 40-line stack trace. That is
     * the client's mistake, already answered RESOURCE_EXHAUSTED and written to the access log, so
     * main raises this logger to SEVERE. Held here because java.util.logging keeps loggers weakly.
     */
    private static final Logger GRPC_STREAM_LOG =
            Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

    private static final ServerMain.Spec SPEC = new ServerMain.Spec(NAME, DEFAULT_PORT, USAGE,
            (settings, pipeline) -> {
                GRPC_STREAM_LOG.setLevel(Level.SEVERE);
                return new GrpcServer(settings, pipeline).start();
            }, HealthProbe::check);

    private final ServerSettings settings;
    private final WorkerPool workers;
    private final InferenceService service;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Server server;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean drained;

    public GrpcServer(ServerSettings settings, DetectionPipeline pipeline) {
        this(settings, pipeline, System.out);
    }

    /** @param accessLog where the access log goes when {@code settings.accessLog()} is on */
    GrpcServer(ServerSettings settings, DetectionPipeline pipeline, PrintStream accessLog) {
        this.settings = settings;
        this.workers = new WorkerPool(settings.workers(), settings.queue(), "grpc-worker-");
        this.service = new InferenceService(pipeline, workers);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(ListenAddress.resolve(settings),
                        InsecureServerCredentials.create())
                // grpc callbacks run on Netty's event loop: every handler here only checks the
                // request and hands it to the WorkerPool (or refuses it at once), never blocks.
                // The pool is the executor that matters, `workers` threads as in the REST server.
                // Detection on a grpc executor instead would queue every request there, without
                // limit, before any code of ours could refuse it.
                .directExecutor()
                // The REST body limit. grpc reads the length prefix first, so a bigger message is
                // refused with RESOURCE_EXHAUSTED before it is buffered.
                .maxInboundMessageSize(Math.toIntExact(settings.limits().maxBodyBytes()))
                .addService(service)
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance());
        if (settings.accessLog()) {
            builder.addStreamTracerFactory(new AccessLog(accessLog));
        }
        this.server = builder.build();
    }

    /** Binds and starts serving; health reports SERVING from here on (the pipeline is already loaded). */
    public GrpcServer start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            workers.shutdown(Duration.ZERO);
            throw ListenAddress.bindFailure(settings, e);
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        health.setStatus(InferenceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return this;
    }

    /**
     * Graceful stop: health goes NOT_SERVING, new calls are refused, in-flight unary calls are
     * answered, streams answer their frame in hand and end with UNAVAILABLE; whatever is still
     * running after {@code grace} is cancelled. Safe to call more than once and from several
     * threads (signal handler, shutdown hook); every caller returns once stopped.
     *
     * @return true if every call finished within the grace period
     */
    @Override
    public boolean stop(Duration grace) {
        if (stopping.compareAndSet(false, true)) {
            health.enterTerminalState();
            server.shutdown();
            service.endStreams();
            try {
                drained = server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
                if (!drained) {
                    server.shutdownNow();
                    server.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.shutdownNow();
            } finally {
                drained &= workers.shutdown(Duration.ofSeconds(5));
                stopped.countDown();
            }
        }
        blockUntilShutdown();
        return drained;
    }

    /** Returns when {@link #stop} has finished (or the waiting thread is interrupted). */
    public void blockUntilShutdown() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The port actually bound: the configured one, or the one the system chose for port 0. */
    public int port() {
        return server.getPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    @Override
    public String where() {
        return ListenAddress.hostPort(address());
    }

    /** Calls running or waiting for a worker. */
    @Override
    public int requestsInFlight() {
        return workers.inFlight();
    }

    InferenceService service() {
        return service;
    }

    WorkerPool workers() {
        return workers;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Everything main does; returns the exit status (see {@link ServerMain}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return ServerMain.run(SPEC, args, env, out, err);
    }
}

package inferbench.grpc;

import inferbench.pipeline.DetectionPipeline;
import inferbench.proto.InferenceGrpc;
import inferbench.server.ListenAddress;
import inferbench.server.RequestLimits;
import inferbench.server.ServerMain;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
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
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gRPC server: {@link InferenceService} on grpc-java's Netty transport, beside the standard
 * health and reflection services so grpcurl and Kubernetes gRPC probes work unchanged.
 *
 * <p>What one client may hold of it is bounded: its calls ({@link UnfinishedCalls}), each
 * message's size and arrival time, the bytes its connection may have in flight (the HTTP/2
 * flow-control window), and its connection's idle time and age ({@link ConnectionAge}). Tests
 * build it with port 0 and read {@link #port()}.
 */
public final class GrpcServer implements ServerMain.Server {
    static final String NAME = "server-grpc";
    public static final int DEFAULT_PORT = 50051;

    static final String USAGE = """
            usage: java -jar server-grpc.jar [options]
                   java -jar server-grpc.jar --probe [--host HOST] [--port N]

            Serves img.Inference (Predict, PredictStream), grpc.health.v1.Health and server
            reflection over HTTP/2, plaintext or TLS. Options, or the environment variables in brackets:
            """ + ServerSettings.usage(DEFAULT_PORT) + """
              --probe           ask a running server's health service; exit 0 when SERVING, else 1
              --host HOST       with --probe: the server's address (default 127.0.0.1)
              --help            print this help

            """ + ServerMain.EXIT_STATUS_HELP;

    /**
     * The HTTP/2 flow-control window, per connection and per call: what a client may send ahead
     * of what the server has read. Twice the largest message and its 5-byte prefix: Netty gives
     * the window back once half of it has been read, so what a client has left never falls
     * below one whole message, and no frame waits a round trip for a window update in its
     * middle, even right after another (a smaller window costs a round trip per window on a
     * real link; docs/protocols.md). Only a call that is not reading holds bytes unread in it: a
     * stream whose frame is being detected (at most workers + queue of them), or one whose
     * client stops reading its answers, which {@link UnfinishedCalls} ends.
     */
    static int flowControlWindow(long maxBodyBytes) {
        return (int) Math.min(Integer.MAX_VALUE, 2 * (maxBodyBytes + 5));
    }

    /**
     * A client may ping at most this often, and only while it has calls open; past that grpc
     * ends the connection (GOAWAY ENHANCE_YOUR_CALM). grpc-java's default, stated here.
     */
    static final Duration PERMIT_KEEPALIVE = Duration.ofMinutes(5);
    /** The server pings a connection quiet for this long, to find peers that vanished with calls open. */
    static final Duration KEEPALIVE = Duration.ofMinutes(1);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
    /**
     * HTTP/2 "rapid reset" (CVE-2023-44487): a client that opens and cancels streams in a loop
     * makes the server start work for nothing. More resets than this in {@link #RESET_WINDOW}
     * end the connection. A real client resets a call only when it gives up waiting.
     */
    static final int MAX_RESETS = 200;
    static final Duration RESET_WINDOW = Duration.ofSeconds(10);
    /** Once every call has ended: how long connections get to close by themselves, then once cut. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    /**
     * grpc logs each message over the size limit as a WARNING with a 40-line stack trace. That is
     * the client's mistake, answered RESOURCE_EXHAUSTED, written to the access log and, briefly,
     * to the error log ({@link UnfinishedCalls}), so this logger only speaks for SEVERE. Held
     * here because java.util.logging keeps loggers weakly.
     */
    private static final Logger GRPC_STREAM_LOG = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

    private static final ServerMain.Spec SPEC = new ServerMain.Spec(NAME, DEFAULT_PORT, USAGE,
            (settings, pipeline) -> new GrpcServer(settings, pipeline).start(), HealthProbe::check);

    private final ServerSettings settings;
    private final WorkerPool workers;
    private final InferenceService service;
    private final UnfinishedCalls calls;
    private final HealthStatusManager health = new HealthStatusManager();
    private final Server server;
    private final GrpcTls tls;

    public GrpcServer(ServerSettings settings, DetectionPipeline pipeline) {
        this(settings, pipeline, System.out, System.err);
    }

    /**
     * @param accessLog where the access log goes when {@code settings.accessLog()} is on
     * @param errorLog  where brief lines about misbehaving clients go
     */
    GrpcServer(ServerSettings settings, DetectionPipeline pipeline, PrintStream accessLog, PrintStream errorLog) {
        RequestLimits limits = settings.limits();
        this.tls = GrpcTls.of(settings.tls());
        ClientErrorLog clientErrors = new ClientErrorLog(errorLog, NAME + ": ", ClientErrorLog.INTERVAL);
        GRPC_STREAM_LOG.setLevel(Level.SEVERE);
        WrongProtocolFilter.LOGGER.setFilter(new WrongProtocolFilter(clientErrors));
        this.settings = settings;
        this.workers = new WorkerPool(settings.workers(), settings.queue(), "grpc-worker-");
        this.service = new InferenceService(pipeline, workers);
        this.calls = new UnfinishedCalls(limits, InferenceGrpc.SERVICE_NAME, clientErrors);
        ConnectionAge connectionAge = new ConnectionAge(limits.maxConnectionAge());
        RequestParsing parsing = new RequestParsing(clientErrors);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(ListenAddress.resolve(settings), tls.credentials())
                // grpc callbacks run on Netty's event loop: every handler here only checks the
                // request and hands it to the WorkerPool (or refuses it at once), never blocks.
                // The pool is the executor that matters, `workers` threads as in the REST server.
                // Detection on a grpc executor instead would queue every request there, without
                // limit, before any code of ours could refuse it.
                .directExecutor()
                // The REST body limit. grpc reads the length prefix first, so a bigger message is
                // refused with RESOURCE_EXHAUSTED before it is buffered.
                .maxInboundMessageSize(Math.toIntExact(limits.maxBodyBytes()))
                // A connection that has not finished its HTTP/2 preface and settings by then is closed.
                .handshakeTimeout(limits.headerTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // A connection with no call open for this long gets a GOAWAY and is closed; a
                // client's channel reconnects by itself on its next call.
                .maxConnectionIdle(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAge(connectionAge.age().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(connectionAge.grace().toMillis(), TimeUnit.MILLISECONDS)
                .maxConcurrentCallsPerConnection(limits.maxCallsPerConnection())
                .flowControlWindow(flowControlWindow(limits.maxBodyBytes()))
                .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(PERMIT_KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(false)
                .maxRstFramesPerWindow(MAX_RESETS, Math.toIntExact(RESET_WINDOW.toSeconds()))
                .addTransportFilter(connectionAge)
                .addStreamTracerFactory(calls)
                // Interceptors run last added first: UnfinishedCalls sees each call before anything else.
                .intercept(connectionAge)
                .intercept(calls)
                .addService(parsing.of(service.bindService()))
                .addService(parsing.of(health.getHealthService().bindService()))
                .addService(parsing.of(ProtoReflectionServiceV1.newInstance().bindService()));
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
            calls.close();
            workers.shutdown(Duration.ZERO);
            throw ListenAddress.bindFailure(settings, e);
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        health.setStatus(InferenceGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return this;
    }

    /**
     * Graceful stop: health goes NOT_SERVING and new calls are refused; calls without admitted
     * work end at once (a message still arriving, a health watch); admitted unary calls are
     * answered, and streams answer their frame in hand and end with UNAVAILABLE. Once every call
     * has ended, or the grace period is over, the connections are closed (given
     * {@link #CLOSE_WAIT}) and the workers stopped. Called once, by the main flow or a test.
     *
     * @return true if every admitted call finished within the grace period
     */
    @Override
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        health.enterTerminalState();
        server.shutdown(); // GOAWAY: clients open no more calls here
        service.endStreams();
        calls.stop();
        boolean drained = false;
        try {
            drained = calls.awaitAllEnded(left(deadline));
            // Every call has ended: connections now close by themselves once their clients have
            // read the last frames. Cutting them at once would reset a connection whose client
            // still had frames on the way (a ping's answer), and a reset loses the calls' endings
            // the client had not read yet. Only what is still open after CLOSE_WAIT is cut (at
            // once when the grace period ran out).
            if (!drained || !server.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        } finally {
            drained &= workers.shutdown(left(deadline));
            calls.close();
        }
        return drained;
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
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

    @Override
    public String tls() {
        return tls.description();
    }

    /** Calls running or waiting for a worker. */
    @Override
    public int requestsInFlight() {
        return workers.inFlight();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Everything main does; returns the exit status (see {@link ServerMain}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return ServerMain.run(SPEC, args, env, out, err);
    }
}

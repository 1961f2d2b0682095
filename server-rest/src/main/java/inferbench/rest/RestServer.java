package inferbench.rest;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import inferbench.json.JsonWriter;
import inferbench.pipeline.DetectionPipeline;
import inferbench.server.ListenAddress;
import inferbench.server.RequestLimits;
import inferbench.server.ServerMain;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
import inferbench.tls.ServerCertificate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The REST image service on the JDK's own {@link HttpServer}: {@code POST /predict},
 * {@code GET /healthz}, {@code GET /}.
 *
 * <p>Two kinds of thread. {@link ConnectionThreads} read each request, under deadlines, and
 * write its reply; a detection runs on the {@link WorkerPool} ({@code workers} threads and
 * {@code queue} places to wait) only once its request has arrived in full, and past the pool's
 * limit is answered 503 at once. So a slow, stalled or greedy client costs a connection thread
 * and a bounded buffer ({@link BodyMemory}), never a worker. A filter logs each request
 * ({@link AccessLog}); {@link Routes} does the rest.
 *
 * <p>{@code start} and {@code stop} mirror {@code GrpcServer}. Tests build it with port 0 and
 * read {@link #address()}.
 */
public final class RestServer implements ServerMain.Server {
    static final String NAME = "server-rest";
    static final int DEFAULT_PORT = 8001;
    static final String ROOT_REPLY = new JsonWriter().beginObject()
            .name("message").value("REST Image Service OK. POST /predict").endObject().toString();
    static final String HEALTHY_REPLY = new JsonWriter().beginObject().name("status").value("ok").endObject().toString();

    static final String USAGE = """
            usage: java -jar server-rest.jar [options]
                   java -jar server-rest.jar --probe [--host HOST] [--port N]

            Serves POST /predict (multipart/form-data with a "file" part, or a raw image/jpeg body;
            ?save=1 stores the result), GET /healthz and GET / over HTTP/1.1.
            Options, or the environment variables in brackets:
            """ + ServerSettings.usage(DEFAULT_PORT) + """
              --probe           ask a running server's GET /healthz; exit 0 when it answers 200, else 1
              --host HOST       with --probe: the server's address (default 127.0.0.1)
              --help            print this help

            """ + ServerMain.EXIT_STATUS_HELP;

    private static final ServerMain.Spec SPEC = new ServerMain.Spec(NAME, DEFAULT_PORT, USAGE,
            (settings, pipeline) -> new RestServer(settings, pipeline).start(), HealthProbe::check);

    private final HttpServer http;
    private final WorkerPool workers;
    private final ConnectionThreads connections;
    private final ServerCertificate certificate;

    /** Binds the port (use port 0 for any free one); call {@link #start()} to serve. */
    public RestServer(ServerSettings settings, DetectionPipeline pipeline) throws IOException {
        this(settings, pipeline, System.out);
    }

    /** @param accessLog where the access log goes when {@code settings.accessLog()} is on */
    RestServer(ServerSettings settings, DetectionPipeline pipeline, PrintStream accessLog) throws IOException {
        RequestLimits limits = settings.limits();
        certificate = settings.tls() == null ? null : ServerCertificate.load(settings.tls());
        AccessLog log = settings.accessLog() ? new AccessLog(accessLog) : null;
        workers = new WorkerPool(settings.workers(), settings.queue(), "rest-worker-");
        connections = new ConnectionThreads(limits, log);
        try {
            http = JdkHttpServer.create(ListenAddress.resolve(settings), limits,
                    certificate == null ? null : certificate.sslContext());
        } catch (IOException e) {
            workers.shutdown(Duration.ZERO);
            connections.shutdown();
            throw ListenAddress.bindFailure(settings, e);
        }
        http.setExecutor(connections);
        Routes routes = new Routes(connections, limits.maxBodyBytes(), new BodyMemory(limits.bodyMemoryBytes()))
                .add("POST", "/predict", new PredictHandler(pipeline, workers))
                // the server is built only after the pipeline has loaded, so being reachable means healthy
                .add("GET", "/healthz", (exchange, body) -> HEALTHY_REPLY)
                .add("GET", "/", (exchange, body) -> ROOT_REPLY);
        HttpContext context = http.createContext("/", routes);
        if (log != null) {
            context.getFilters().add(log);
        }
    }

    public RestServer start() {
        http.start();
        return this;
    }

    /** The address actually bound: with port 0, the port the system chose. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public String where() {
        return (certificate == null ? "http://" : "https://") + ListenAddress.hostPort(address());
    }

    @Override
    public String tls() {
        return certificate == null ? null : certificate.serving("the JDK's TLS");
    }

    /** Requests that have arrived in full and not been answered yet (detections running or queued among them). */
    @Override
    public int requestsInFlight() {
        return connections.admitted();
    }

    /**
     * Graceful stop: connections whose request has not arrived in full are closed at once; the
     * requests that have arrived are answered (queued detections included) for up to
     * {@code grace}; requests that arrive meanwhile are answered 503 with {@code Connection:
     * close}; then the listening socket and every connection are closed.
     *
     * <p>Why not just {@code HttpServer.stop(delay)}: on JDK 17 it waits the whole delay even
     * when nothing is in flight (JDK-8304065), and it cannot tell a request being answered from
     * a client that sent half its headers. So the connection threads and the pool do the
     * draining, and {@code stop(0)} afterwards only closes sockets. Saved results need no
     * flushing: the store writes and closes each file within the request.
     *
     * @return true if every request that had arrived was answered within the grace period
     */
    @Override
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        CompletableFuture<Void> arrived = connections.stop();
        boolean drained = workers.shutdown(grace) && answered(arrived, deadline);
        http.stop(0);
        connections.shutdown();
        return drained;
    }

    private static boolean answered(CompletableFuture<Void> arrived, long deadline) {
        try {
            arrived.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Everything main does; returns the exit status (see {@link ServerMain}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return ServerMain.run(SPEC, args, env, out, err);
    }
}

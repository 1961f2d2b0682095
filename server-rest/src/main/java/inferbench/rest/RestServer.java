package inferbench.rest;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import inferbench.json.JsonWriter;
import inferbench.pipeline.DetectionPipeline;
import inferbench.server.ListenAddress;
import inferbench.server.ServerMain;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The REST image service on the JDK's own {@link HttpServer}: {@code POST /predict},
 * {@code GET /healthz}, {@code GET /}.
 *
 * <p>Requests run on a {@link WorkerPool}: {@code workers} threads and {@code queue} places to
 * wait, so the server never takes on more work than it can finish; past that, the
 * {@link BusyLane} answers 503 at once. A filter chain on the one context logs each request
 * ({@link AccessLog}) and diverts refused ones; {@link Routes} does the rest.
 *
 * <p>{@code start}, {@code stop} and {@code blockUntilShutdown} mirror {@code GrpcServer}.
 * Tests build it with port 0 and read {@link #address()}.
 */
public final class RestServer implements ServerMain.Server {
    static final String NAME = "server-rest";
    /** Written to records.csv for results saved by this server. */
    static final String PROTOCOL = "REST";
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
    private final BusyLane busyLane;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean drained;

    /** Binds the port (use port 0 for any free one); call {@link #start()} to serve. */
    public RestServer(ServerSettings settings, DetectionPipeline pipeline) throws IOException {
        this(settings, pipeline, System.out);
    }

    /** @param accessLog where the access log goes when {@code settings.accessLog()} is on */
    RestServer(ServerSettings settings, DetectionPipeline pipeline, PrintStream accessLog) throws IOException {
        busyLane = new BusyLane(settings.limits().maxBodyBytes());
        workers = new WorkerPool(settings.workers(), settings.queue(), "rest-worker-");
        try {
            http = JdkHttpServer.create(ListenAddress.resolve(settings));
        } catch (IOException e) {
            workers.shutdown(Duration.ZERO);
            throw ListenAddress.bindFailure(settings, e);
        }
        // HttpServer's one dispatcher thread calls this for each request, before reading it: a
        // request the pool has no room for goes to the busy lane, which answers 503.
        http.setExecutor(exchange -> {
            if (workers.trySubmit(Executors.callable(exchange)).isEmpty()) {
                busyLane.execute(exchange);
            }
        });
        Routes routes = new Routes(settings.limits().maxBodyBytes())
                .add("POST", "/predict", new PredictHandler(pipeline, settings.limits().maxBodyBytes()))
                // the server is built only after the pipeline has loaded, so being reachable means healthy
                .add("GET", "/healthz", exchange -> JsonResponse.send(exchange, 200, HEALTHY_REPLY))
                .add("GET", "/", exchange -> JsonResponse.send(exchange, 200, ROOT_REPLY));
        HttpContext context = http.createContext("/", routes);
        if (settings.accessLog()) {
            context.getFilters().add(new AccessLog(accessLog));
        }
        context.getFilters().add(busyLane);
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
        return "http://" + ListenAddress.hostPort(address());
    }

    /** Requests running or waiting for a worker. */
    @Override
    public int requestsInFlight() {
        return workers.inFlight();
    }

    /**
     * Graceful stop: new requests are refused with 503 and {@code Connection: close}, the
     * requests already running or queued finish (for up to {@code grace}), then the listening
     * socket and every connection are closed. Safe to call more than once and from several
     * threads (signal handler, shutdown hook); every caller returns once stopped.
     *
     * <p>Why not just {@code HttpServer.stop(delay)}: on JDK 17 it waits the whole delay even
     * when nothing is in flight (JDK-8304065), and it cannot see the requests still waiting
     * in our queue, whose connections it would cut. So the pool does the draining, and
     * {@code stop(0)} afterwards only closes sockets. Saved results need no flushing:
     * the store writes and closes each file within the request.
     *
     * @return true if every request finished within the grace period
     */
    @Override
    public boolean stop(Duration grace) {
        if (stopping.compareAndSet(false, true)) {
            busyLane.startShutdown();
            drained = workers.shutdown(grace); // from here new requests go to the busy lane
            http.stop(0);
            busyLane.shutdown();
            stopped.countDown();
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

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Everything main does; returns the exit status (see {@link ServerMain}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return ServerMain.run(SPEC, args, env, out, err);
    }
}

package inferbench.rest;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import inferbench.pipeline.DetectionPipeline;
import inferbench.server.ListenAddress;
import inferbench.server.ServerMain;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
import inferbench.tls.ServerCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * The REST image service on the JDK's own {@link HttpServer}: {@code POST /predict},
 * {@code GET /healthz} and {@code GET /}, all through {@link Routes}; detections on the
 * {@link WorkerPool}. Its {@link Limits} attach the way the JDK lets them, as the executor and a
 * filter (inferbench.rest.limits), and so do its {@link Watcher}s, the access log and the
 * metrics (inferbench.rest.metrics); {@link RestServerMain} puts them together and runs them.
 * With a certificate ({@code --tls-cert}) it is the JDK's {@link HttpsServer}: the same server.
 */
public final class RestServer implements ServerMain.Server {
    static final int DEFAULT_PORT = 8001;

    /** What the server's limits add to it: to its HttpServer, and to a stop. */
    public interface Limits {
        /** Sets the server's executor and adds the limits' filters to its context. */
        void attachTo(HttpServer http, HttpContext context);

        /** Closes the requests still arriving, waits up to {@code timeout} for the others, then every connection. */
        boolean drain(HttpServer http, Duration timeout);

        /** Releases the limits' own threads. */
        void close();
    }

    /** What watches each request from beside the server: the access log, the metrics. */
    public interface Watcher {
        /** Adds its filters to the server's context (and contexts of its own); may observe the workers. */
        void attachTo(HttpServer http, HttpContext context, WorkerPool workers);
    }

    private final Limits limits;
    private final WorkerPool workers;
    private final HttpServer http;
    private final ServerCertificate certificate; // null: plaintext

    /** Binds the port (port 0: any free one). */
    public RestServer(ServerSettings settings, DetectionPipeline pipeline, List<Watcher> watchers, Limits limits)
            throws IOException {
        this.limits = limits;
        this.certificate = settings.tls() == null ? null : ServerCertificate.load(settings.tls());
        this.workers = new WorkerPool(settings.workers(), settings.queue(), "rest-worker-");
        // HttpServer writes a reply's headers and body in two writes: with Nagle's algorithm on,
        // the body would wait for the client's delayed ACK of the headers (40 ms on Linux). The JDK
        // reads this once, when the process creates its first server; a -D on the command line wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            // The backlog: connections the kernel has accepted and the server not yet taken. With
            // the default of 50, a burst of new connections past it waits 1 s for the client's SYN retry.
            InetSocketAddress address = ListenAddress.resolve(settings);
            int backlog = settings.limits().maxConnections();
            http = certificate == null ? HttpServer.create(address, backlog)
                    : certificate.httpsServer(address, backlog); // the same server, each connection in TLS
        } catch (IOException e) {
            workers.shutdown(Duration.ZERO);
            limits.close();
            throw ListenAddress.bindFailure(settings, e);
        }
        HttpContext context = http.createContext("/", new Routes(settings.limits().maxBodyBytes())
                .add("POST", "/predict", new PredictHandler(pipeline, workers))
                // the server is built only after the pipeline has loaded, so being reachable means healthy
                .add("GET", "/healthz", (exchange, body) -> "{\"status\":\"ok\"}")
                .add("GET", "/", (exchange, body) -> "{\"message\":\"REST Image Service OK. POST /predict\"}"));
        // The watchers' filters come before the limits', so they see the limits' refusals too.
        watchers.forEach(watcher -> watcher.attachTo(http, context, workers));
        limits.attachTo(http, context);
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

    @Override
    public boolean stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        boolean drained = limits.drain(http, grace);
        drained &= workers.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        limits.close();
        return drained;
    }

    @Override
    public int requestsInFlight() {
        return workers.inFlight();
    }
}

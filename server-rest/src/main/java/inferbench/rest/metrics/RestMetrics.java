package inferbench.rest.metrics;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import inferbench.metrics.Outcome;
import inferbench.metrics.ServerMetrics;
import inferbench.pipeline.DetectionResult;
import inferbench.rest.RestServer;
import inferbench.server.LimitsReport;
import inferbench.server.WorkerPool;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The REST server's Prometheus metrics ({@link ServerMetrics}, protocol "rest"), served at
 * {@code GET /metrics} on the server's own port, a context of its own beside the routes.
 *
 * <p>A filter on the server's context, ahead of the limits' filter, so it sees every request to
 * {@code /predict} that got past the JDK's reading of its headers, the limits' refusals included:
 * the time from there to the end of the reply, the status it ended with, and the body's bytes as
 * they are read (through the exchange's stream, which the filter wraps).
 */
public final class RestMetrics extends Filter implements RestServer.Watcher {
    private static final String COUNTED = "/predict";

    private final ServerMetrics metrics;
    private final LimitsReport limits;

    public RestMetrics(LimitsReport limits) {
        this.metrics = new ServerMetrics("rest", limits);
        this.limits = limits;
    }

    @Override
    public void attachTo(HttpServer http, HttpContext context, WorkerPool workers) {
        metrics.watch(workers, result -> result instanceof DetectionResult answer ? new ServerMetrics.Found(
                answer.detectionCount(), !answer.filename().isEmpty(), !answer.saveError().isEmpty()) : null);
        context.getFilters().add(this);
        http.createContext("/metrics", new MetricsHandler(metrics.registry()));
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (!COUNTED.equals(exchange.getRequestURI().getPath())) {
            chain.doFilter(exchange);
            return;
        }
        long start = System.nanoTime();
        CountedBody body = new CountedBody(exchange.getRequestBody());
        exchange.setStreams(body, null);
        boolean replied = false;
        try {
            chain.doFilter(exchange);
            replied = true;
        } finally {
            metrics.request(outcomeOf(exchange.getResponseCode(), replied, limits.stopping()),
                    System.nanoTime() - start);
            if (body.ended) {
                metrics.received(body.count);
            }
        }
    }

    /**
     * How a request ended (docs/metrics.md), from its status, or -1 when none was sent.
     *
     * @param replied false when the exchange ended in an error: the reply, if any, may not have reached the client
     */
    static Outcome outcomeOf(int status, boolean replied, boolean stopping) {
        return switch (status) {
            case 200 -> replied ? Outcome.OK : Outcome.CLIENT_GONE;
            case 408 -> Outcome.TIMEOUT;
            case 413, 431 -> Outcome.TOO_LARGE;
            case 415 -> Outcome.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> stopping ? Outcome.SHUTTING_DOWN : Outcome.BUSY;
            case -1 -> stopping ? Outcome.SHUTTING_DOWN : Outcome.CLIENT_GONE;
            default -> status >= 500 ? Outcome.INTERNAL : Outcome.BAD_REQUEST;
        };
    }

    @Override
    public String description() {
        return "metrics: each request's outcome, time and body size";
    }

    /** The request body as the limits read it, counted; ended once it has been read to its end. */
    private static final class CountedBody extends FilterInputStream {
        long count;
        boolean ended;

        CountedBody(InputStream body) {
            super(body);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                ended = true;
            } else {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                ended = true;
            } else {
                count += n;
            }
            return n;
        }
    }
}

package inferbench.grpc.metrics;

import com.sun.net.httpserver.HttpServer;
import inferbench.server.DaemonThreads;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} on a small JDK HTTP server of its own ({@code --metrics-port}): Prometheus
 * scrapes over HTTP/1.1, which the gRPC port does not speak. Two threads answer scrapes, so a
 * slow scraper does not hold up the next; it is a port for the operator's network, not for clients.
 */
final class MetricsPort implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, new DaemonThreads("grpc-metrics-"));

    private MetricsPort(HttpServer http) {
        this.http = http;
    }

    static MetricsPort start(InetSocketAddress address, PrometheusRegistry registry) throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new IOException("cannot listen on " + address.getHostString() + ":" + address.getPort()
                    + " for metrics: " + e.getMessage() + " (--metrics-port N chooses another port, 0 turns metrics"
                    + " off)", e);
        }
        MetricsPort port = new MetricsPort(http);
        http.createContext("/metrics", new MetricsHandler(registry));
        http.setExecutor(port.threads);
        http.start();
        return port;
    }

    InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}

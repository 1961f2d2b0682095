package inferbench.bench;

import inferbench.scrape.MetricsText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads the servers' own metrics around each cell ({@link ServerTime}): REST's at
 * {@code /metrics} on its own port, gRPC's on its metrics port. A server whose metrics do not
 * answer (started with {@code --metrics-port 0}, or one the benchmark did not start) is simply
 * left without them.
 */
final class ServerTimes {
    private final HttpClient client;
    private final Map<BenchTransport.Server, URI> metrics = new EnumMap<>(BenchTransport.Server.class);

    /** REST's metrics come over HTTPS when its /predict does; gRPC's metrics port speaks plain HTTP. */
    ServerTimes(Servers servers) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (servers.tls().enabled()) {
            builder.sslContext(servers.tls().sslContext());
        }
        client = builder.build();
        for (BenchTransport.Server server : BenchTransport.Server.values()) {
            URI uri = servers.metrics(server);
            if (uri != null) {
                metrics.put(server, uri);
            }
        }
    }

    /** One scrape of the server's metrics, or null if they cannot be read (then they are not asked again). */
    MetricsText scrape(BenchTransport.Server server) {
        URI uri = metrics.get(server);
        if (uri == null) {
            return null;
        }
        try {
            MetricsText text = MetricsText.scrape(client, uri);
            if (text.has("inferbench_request_duration_seconds_count")) {
                return text;
            }
        } catch (IOException e) {
            // not there: metrics off, or another port
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        metrics.remove(server);
        return null;
    }

    static String protocol(BenchTransport.Server server) {
        return server == BenchTransport.Server.REST ? "rest" : "grpc";
    }
}

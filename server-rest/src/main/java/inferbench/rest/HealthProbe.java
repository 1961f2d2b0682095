package inferbench.rest;

import inferbench.tls.ClientTls;
import inferbench.tls.TlsFailure;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code --probe}: asks a running server for {@code GET /healthz} and says whether it is
 * healthy, in one line and in the exit status (0 healthy, 1 not). Container health checks and
 * {@code make run-servers} use it, so no curl is needed in the image.
 */
final class HealthProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private HealthProbe() {
    }

    /** Returns the process exit code: 0 when the server answers 200, 1 otherwise (including unreachable). */
    static int check(String host, int port, ClientTls tls, PrintStream out) {
        URI uri = URI.create((tls.enabled() ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host)
                + ":" + port + "/healthz");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT);
        if (tls.enabled()) {
            builder.sslContext(tls.sslContext());
        }
        HttpClient client = builder.build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean healthy = response.statusCode() == 200;
            out.println((healthy ? "healthy: " : "unhealthy: ") + uri + " answered "
                    + response.statusCode() + " " + response.body());
            return healthy ? 0 : 1;
        } catch (IOException e) {
            String tlsProblem = TlsFailure.explain(e, tls);
            out.println("unhealthy: no answer from " + uri + " within " + TIMEOUT.toSeconds() + " s ("
                    + (tlsProblem != null ? tlsProblem : e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}

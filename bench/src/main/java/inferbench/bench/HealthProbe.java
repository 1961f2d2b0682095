package inferbench.bench;

import inferbench.client.transport.GrpcWire;
import inferbench.tls.ClientTls;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * "Healthy" as the servers define it, asked in-process: REST {@code GET /healthz} answers 200,
 * the gRPC health service answers SERVING. A probe JVM per poll ({@code --probe}) would take
 * longer to start than the server does, and hide its startup time.
 */
interface HealthProbe extends AutoCloseable {
    Duration TIMEOUT = Duration.ofSeconds(1);

    /** True once the server answers healthy; false on any failure, including no connection yet. */
    boolean healthy();

    @Override
    default void close() {
    }

    /** @param base the server's root, such as http://127.0.0.1:8001 (https with {@code tls}) */
    static HealthProbe rest(URI base, ClientTls tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT);
        if (tls.enabled()) {
            builder.sslContext(tls.sslContext());
        }
        HttpClient http = builder.build();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/healthz")).timeout(TIMEOUT).GET().build();
        return () -> {
            try {
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                return false;
            }
        };
    }

    /** @param target host:port */
    static HealthProbe grpc(String target, ClientTls tls) {
        ManagedChannel channel = Grpc.newChannelBuilder(target, GrpcWire.credentials(tls)).build();
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        return new HealthProbe() {
            @Override
            public boolean healthy() {
                try {
                    return health.withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .check(HealthCheckRequest.getDefaultInstance()).getStatus()
                            == HealthCheckResponse.ServingStatus.SERVING;
                } catch (RuntimeException e) {
                    // A refused connect puts the channel in back-off (1 s, growing): poll again at once.
                    channel.resetConnectBackoff();
                    return false;
                }
            }

            @Override
            public void close() {
                channel.shutdownNow();
            }
        };
    }
}

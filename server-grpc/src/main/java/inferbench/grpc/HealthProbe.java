package inferbench.grpc;

import inferbench.tls.ClientTls;
import inferbench.tls.TlsFailure;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code server-grpc.jar --probe}: asks a running server's {@code grpc.health.v1.Health/Check},
 * so a container health check or a start script needs nothing but the jar (no grpcurl, no
 * grpc_health_probe). Prints one line; the exit code is 0 only when the server says SERVING.
 */
final class HealthProbe {
    /** A server that takes longer than this to say it is healthy is not, for a probe. */
    static final long DEADLINE_MS = 2000;

    private HealthProbe() {
    }

    /** Returns the process exit code: 0 when SERVING, 1 otherwise (including unreachable). */
    static int check(String host, int port, ClientTls tls, PrintStream out) {
        ChannelCredentials credentials = tls.enabled()
                ? TlsChannelCredentials.newBuilder().trustManager(tls.trustManagers()).build()
                : InsecureChannelCredentials.create();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, credentials).build();
        String target = host + ":" + port;
        try {
            ServingStatus status = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance())
                    .getStatus();
            out.println(target + " " + status);
            return status == ServingStatus.SERVING ? 0 : 1;
        } catch (StatusRuntimeException e) {
            Throwable cause = e.getCause(); // "io exception" alone does not say "connection refused"
            String tlsProblem = TlsFailure.explain(e, tls);
            out.println(target + " " + e.getStatus().getCode() + ": " + (tlsProblem != null ? tlsProblem
                    : e.getStatus().getDescription() + (cause != null ? " (" + cause.getMessage() + ")" : "")));
            return 1;
        } finally {
            channel.shutdownNow();
        }
    }
}

package inferbench.bench;

import inferbench.bench.tuned.HttpConnectionPool;
import inferbench.bench.tuned.NoDeadlineGrpcTransport;
import inferbench.client.transport.GrpcStreamTransport;
import inferbench.client.transport.GrpcUnaryTransport;
import inferbench.client.transport.RestTransport;
import inferbench.client.transport.Transport;
import inferbench.tls.ClientTls;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The ways the benchmark sends a frame: the client's own transports
 * ({@code inferbench.client.transport}), so the benchmark measures what the client runs, with the
 * idiomatic clients (the JDK's HttpClient; a gRPC deadline on every unary call) as the plain
 * names; and beside them the tuned variants only the benchmark has ({@code inferbench.bench.tuned}).
 */
enum BenchTransport {
    REST_MULTIPART("rest-multipart", "REST multipart", Server.REST),
    REST_MULTIPART_TUNED("rest-multipart-tuned", "REST tuned", Server.REST),
    REST_RAW("rest-raw", "REST raw JPEG", Server.REST),
    GRPC_UNARY("grpc-unary", "gRPC unary", Server.GRPC),
    GRPC_UNARY_NO_DEADLINE("grpc-unary-no-deadline", "gRPC no deadline", Server.GRPC),
    GRPC_STREAM("grpc-stream", "gRPC stream", Server.GRPC);

    /** Which server a transport talks to. */
    enum Server { REST, GRPC }

    final String key;
    final String label;
    final Server server;

    BenchTransport(String key, String label, Server server) {
        this.key = key;
        this.label = label;
        this.server = server;
    }

    /** To these servers, with their TLS or none. */
    Transport open(Servers servers) {
        return open(servers.restUrl(), servers.grpcTarget(), servers.tls());
    }

    /**
     * @param restUrl    the REST server's /predict address
     * @param grpcTarget the gRPC server's host:port
     * @param tls        TLS for both (then restUrl is an https address), or {@link ClientTls#PLAINTEXT}
     */
    Transport open(URI restUrl, String grpcTarget, ClientTls tls) {
        Duration limit = Transport.DEFAULT_TIMEOUT;
        return switch (this) {
            case REST_MULTIPART -> new RestTransport(restUrl, RestTransport.Body.MULTIPART, limit, tls);
            case REST_MULTIPART_TUNED -> new RestTransport(restUrl, RestTransport.Body.MULTIPART,
                    new HttpConnectionPool(restUrl, limit, tls.enabled() ? tls.sslContext() : null), limit, tls,
                    " tuned");
            case REST_RAW -> new RestTransport(restUrl, RestTransport.Body.RAW_JPEG, limit, tls);
            case GRPC_UNARY -> new GrpcUnaryTransport(grpcTarget, limit, tls);
            case GRPC_UNARY_NO_DEADLINE -> new NoDeadlineGrpcTransport(grpcTarget, limit, tls);
            case GRPC_STREAM -> new GrpcStreamTransport(grpcTarget, limit, tls);
        };
    }

    /** Every transport's key, comma-separated, as the options take them. */
    static String keys() {
        return Arrays.stream(values()).map(t -> t.key).collect(Collectors.joining(", "));
    }

    /** The transports named (by key), or all of them for an empty list. */
    static List<BenchTransport> select(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of(values());
        }
        return keys.stream().map(key -> Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--transports: unknown transport '" + key
                        + "' (use " + keys() + ")"))).toList();
    }
}

package inferbench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import inferbench.client.transport.GrpcUnaryTransport;
import inferbench.client.transport.RestTransport;
import inferbench.config.Config;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client's settings: flags, then environment, then the idiomatic defaults. */
class ClientOptionsTest {
    private static ClientOptions read(Map<String, String> env, String... flags) {
        return ClientOptions.read(new Config(flags, env));
    }

    @Test
    void theDefaultsAreTheIdiomaticClients() {
        ClientOptions options = read(Map.of());
        assertEquals(URI.create("http://localhost:8001/predict"), options.rest());
        assertEquals(RestTransport.Client.JDK, options.restClient());
        assertEquals(GrpcUnaryTransport.TimeLimit.DEADLINE, options.grpcTimeLimit());
    }

    @Test
    void theTunedVariantsComeFromFlagsOrTheEnvironmentAndFlagsWin() {
        ClientOptions flags = read(Map.of(), "--rest-client", "tuned", "--grpc-deadline", "off");
        assertEquals(RestTransport.Client.TUNED, flags.restClient());
        assertEquals(GrpcUnaryTransport.TimeLimit.WAITING_THREAD, flags.grpcTimeLimit());
        ClientOptions env = read(Map.of("REST_CLIENT", "tuned", "GRPC_DEADLINE", "off"));
        assertEquals(RestTransport.Client.TUNED, env.restClient());
        assertEquals(GrpcUnaryTransport.TimeLimit.WAITING_THREAD, env.grpcTimeLimit());
        ClientOptions both = read(Map.of("REST_CLIENT", "tuned"), "--rest-client", "jdk");
        assertEquals(RestTransport.Client.JDK, both.restClient());
    }

    @Test
    void aServersBaseAddressMeansItsPredict() {
        assertEquals(URI.create("http://localhost:8001/predict"), read(Map.of(), "--rest", "http://localhost:8001").rest());
        assertEquals(URI.create("http://10.0.0.5:9000/predict"), read(Map.of("REST_URL", "http://10.0.0.5:9000/")).rest());
        assertEquals(URI.create("http://proxy/api/predict"), read(Map.of(), "--rest", "http://proxy/api/predict").rest());
    }
}

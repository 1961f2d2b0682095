package inferbench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.client.transport.GrpcUnaryTransport;
import inferbench.client.transport.RestTransport;
import inferbench.config.Config;
import java.net.URI;
import java.time.Duration;
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
        assertEquals(Duration.ofSeconds(5), options.timeout());
    }

    @Test
    void theTimeLimitTakesSecondsWithAFractionWithinItsRange() {
        assertEquals(Duration.ofMillis(1500), read(Map.of(), "--timeout", "1.5").timeout());
        assertEquals(Duration.ofSeconds(30), read(Map.of("REQUEST_TIMEOUT", "30")).timeout());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of(), "--timeout", "0.05"));
        assertEquals("--timeout: 0.05 s is out of range [0.1, 600] s", tooShort.getMessage());
        IllegalArgumentException notSeconds = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of(), "--timeout", "5s"));
        assertTrue(notSeconds.getMessage().contains("expected seconds such as 10 or 0.5, got '5s'"),
                notSeconds.getMessage());
    }

    @Test
    void aServersBaseAddressMeansItsPredict() {
        assertEquals(URI.create("http://localhost:8001/predict"), read(Map.of(), "--rest", "http://localhost:8001").rest());
        assertEquals(URI.create("http://10.0.0.5:9000/predict"), read(Map.of("REST_URL", "http://10.0.0.5:9000/")).rest());
        assertEquals(URI.create("http://proxy/api/predict"), read(Map.of(), "--rest", "http://proxy/api/predict").rest());
    }

    @Test
    void aLinkAndTheCentreSquareComeFromFlagsOrTheEnvironmentAndABadOneSaysWhatWould() {
        ClientOptions options = read(Map.of("LINK", "wan", "SEND", "centre"), "--link", "4g");
        assertEquals("4g", options.link().name());
        assertTrue(options.centreOnly());
        assertEquals(null, read(Map.of()).link());
        IllegalArgumentException link = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of(), "--link", "lte"));
        assertTrue(link.getMessage().startsWith("--link (LINK): unknown link 'lte': use loopback, lan, wifi, 4g, wan"),
                link.getMessage());
        IllegalArgumentException send = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of(), "--send", "crop"));
        assertEquals("--send (SEND) must be full or centre, got 'crop'", send.getMessage());
    }
}

package inferbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import inferbench.config.Config;
import inferbench.pipeline.DecodeMode;
import inferbench.pipeline.PipelineSettings;
import inferbench.storage.StorageSettings;
import inferbench.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {
    @Test
    void defaultsMatchTheDocumentedValues() {
        ServerSettings settings = ServerSettings.read(new Config(new String[] {}, Map.of()), 8001);
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(new ServerSettings("127.0.0.1", 8001, cores, 2 * cores,
                new RequestLimits(16L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(20),
                        Duration.ofSeconds(30), 512, 256L * 1024 * 1024, 100, 512, 64L * 1024 * 1024,
                        Duration.ofMinutes(30), 1024 * 1024),
                new StorageSettings(Path.of("storage"), 1L << 30, ZoneId.systemDefault()),
                new PipelineSettings(null, 4096L * 4096, DecodeMode.EXACT, 0), true, null, 9464), settings);
    }

    @Test
    void readsEveryOptionFromTheEnvironment() {
        Map<String, String> env = Map.ofEntries(Map.entry("PORT", "9001"), Map.entry("BIND_ADDRESS", "0.0.0.0"),
                Map.entry("WORKERS", "3"), Map.entry("QUEUE_SIZE", "5"), Map.entry("MAX_BODY_BYTES", "2048"),
                Map.entry("MAX_PIXELS", "1000"), Map.entry("STORAGE_DIR", "/tmp/s"), Map.entry("CASCADE", "/tmp/c.xml"),
                Map.entry("STORAGE_TZ", "Europe/Paris"), Map.entry("ACCESS_LOG", "false"),
                Map.entry("DECODE_MODE", "approximate"), Map.entry("OPENCV_THREADS", "1"),
                Map.entry("HEADER_TIMEOUT", "3"), Map.entry("BODY_TIMEOUT", "4"), Map.entry("IDLE_TIMEOUT", "5"),
                Map.entry("MAX_CONNECTIONS", "6"), Map.entry("STORAGE_MAX_BYTES", "7000"),
                Map.entry("BODY_MEMORY", "8192"), Map.entry("MAX_CALLS_PER_CONNECTION", "8"), Map.entry("MAX_CALLS", "9"),
                Map.entry("MESSAGE_MEMORY", "4096"), Map.entry("MAX_CONNECTION_AGE", "11"),
                Map.entry("FLOW_WINDOW", "70000"), Map.entry("TLS_CERT", "/tmp/cert.pem"),
                Map.entry("TLS_KEY", "/tmp/key.pem"), Map.entry("TLS_PROVIDER", "jdk"),
                Map.entry("METRICS_PORT", "12"));
        ServerSettings settings = ServerSettings.read(new Config(new String[] {}, env), 8001);
        assertEquals(new ServerSettings("0.0.0.0", 9001, 3, 5,
                new RequestLimits(2048, Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5), 6, 8192, 8,
                        9, 4096, Duration.ofSeconds(11), 70000),
                new StorageSettings(Path.of("/tmp/s"), 7000, ZoneId.of("Europe/Paris")),
                new PipelineSettings(Path.of("/tmp/c.xml"), 1000, DecodeMode.APPROXIMATE, 1), false,
                new TlsSettings(Path.of("/tmp/cert.pem"), Path.of("/tmp/key.pem"), TlsSettings.Provider.JDK), 12),
                settings);
    }

    @Test
    void refusesABodyMemoryTooSmallForTheLargestBody() {
        Config config = new Config(new String[] {"--max-body", "4096", "--body-memory", "8191"}, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ServerSettings.read(config, 8001));
        assertEquals("--body-memory / BODY_MEMORY: 8191 is less than twice --max-body (4096), so the largest bodies"
                + " could never be received", e.getMessage());
    }

    @Test
    void raisesTheDefaultBodyMemoryToTwiceALargeMaxBody() {
        Config config = new Config(new String[] {"--max-body", "200000000"}, Map.of());
        assertEquals(400_000_000L, ServerSettings.read(config, 8001).limits().bodyMemoryBytes());
    }

    @Test
    void refusesAMessageMemorySmallerThanTheLargestMessage() {
        Config config = new Config(new String[] {"--max-body", "4096", "--message-memory", "4095"}, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ServerSettings.read(config, 8001));
        assertEquals("--message-memory / MESSAGE_MEMORY: 4095 is less than --max-body (4096), so the largest messages"
                + " could never be received", e.getMessage());
    }

    @Test
    void raisesTheDefaultMessageMemoryToALargeMaxBody() {
        Config config = new Config(new String[] {"--max-body", "200000000"}, Map.of());
        assertEquals(200_000_000L, ServerSettings.read(config, 8001).limits().messageMemoryBytes());
    }

    @Test
    void explainsAnUnknownTimeZone() {
        Config config = new Config(new String[] {"--time-zone", "Mars/Olympus"}, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ServerSettings.read(config, 8001));
        assertEquals("--time-zone / STORAGE_TZ: unknown time zone 'Mars/Olympus' (use a region like Europe/Paris"
                + " or an offset like +02:00)", e.getMessage());
    }

    @Test
    void explainsAnUnknownDecodeMode() {
        Config config = new Config(new String[] {"--decode", "sepia"}, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ServerSettings.read(config, 8001));
        assertEquals("--decode / DECODE_MODE: expected exact or approximate, got 'sepia'", e.getMessage());
    }

    @Test
    void writesADeadlineWithItsFractionOfASecond() {
        assertEquals("0.3 s", RequestLimits.seconds(Duration.ofMillis(300)));
        assertEquals("20 s", RequestLimits.seconds(Duration.ofSeconds(20)));
        assertEquals("1.25 s", RequestLimits.seconds(Duration.ofMillis(1250)));
    }
}

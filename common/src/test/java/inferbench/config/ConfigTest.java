package inferbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        Config config = new Config(new String[] {"--port", "9000"}, Map.of("PORT", "7000", "WORKERS", "3"));
        assertEquals(9000, config.getInt("port", "PORT", 8001, 0));
        assertEquals(3, config.getInt("workers", "WORKERS", 2, 1));
        assertEquals("storage", config.get("storage", "STORAGE_DIR", "storage"));
    }

    @Test
    void acceptsNameEqualsValueAndBareBooleanFlags() {
        Config config = new Config(new String[] {"--bind=127.0.0.1", "--save"}, Map.of());
        assertEquals("127.0.0.1", config.get("bind", null, "0.0.0.0"));
        assertTrue(config.getBoolean("save", null, false));
    }

    @Test
    void rejectsAMisspeltFlag() {
        Config config = new Config(new String[] {"--prot", "1"}, Map.of());
        config.getInt("port", "PORT", 8001, 0);
        var e = assertThrows(IllegalArgumentException.class, config::rejectUnknown);
        assertEquals("unknown option --prot (see --help)", e.getMessage());
    }

    @Test
    void readsSecondsWithAFractionAndRefusesThemOutOfRangeOrMalformed() {
        Duration min = Duration.ofMillis(100);
        Duration max = Duration.ofHours(1);
        Config config = new Config(new String[] {"--body-timeout", "0.25", "--header-timeout", "7"},
                Map.of("IDLE", "0.05", "AGE", "-1", "BAD", "1,5"));
        assertEquals(Duration.ofMillis(250), config.getSeconds("body-timeout", null, Duration.ZERO, min, max));
        assertEquals(Duration.ofSeconds(7), config.getSeconds("header-timeout", null, Duration.ZERO, min, max));
        assertEquals(Duration.ofSeconds(20), config.getSeconds("none", null, Duration.ofSeconds(20), min, max));
        var e = assertThrows(IllegalArgumentException.class, () -> config.getSeconds("idle", "IDLE", min, min, max));
        assertEquals("--idle / IDLE: 0.05 s is out of range [0.1, 3600] s", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config.getSeconds("age", "AGE", min, min, max));
        assertEquals("--age / AGE: -1 s is out of range [0.1, 3600] s", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config.getSeconds("bad", "BAD", min, min, max));
        assertEquals("--bad / BAD: expected seconds such as 10 or 0.5, got '1,5'", e.getMessage());
    }

    @Test
    void explainsANumberThatIsNotOne() {
        Config config = new Config(new String[] {}, Map.of("PORT", "eighty"));
        var e = assertThrows(IllegalArgumentException.class, () -> config.getInt("port", "PORT", 8001, 0));
        assertEquals("--port / PORT: expected a whole number, got 'eighty'", e.getMessage());
    }

    @Test
    void refusesANumberOutOfRange() {
        Config config = new Config(new String[] {"--workers", "0"}, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> config.getInt("workers", "WORKERS", 2, 1));
        assertEquals("--workers: 0 is out of range [1, 2147483647]", e.getMessage());
    }
}

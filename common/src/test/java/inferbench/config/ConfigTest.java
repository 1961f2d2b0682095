package inferbench.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

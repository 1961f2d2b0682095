package inferbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What main does for both servers before and instead of serving: help, bad configuration, a
 * port in use, the probe's options. The servers' own tests cover only what is theirs (their
 * usage, their bind, their probe).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerMainTest {
    private static final String USAGE = "usage: test-server [options]\n";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> probed = new ArrayList<>();

    /** Binds the configured address as both servers do, and reports a failure the same way. */
    private static ServerMain.Server bindOnly(ServerSettings settings) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(ListenAddress.resolve(settings));
        } catch (IOException e) {
            throw ListenAddress.bindFailure(settings, e);
        }
        throw new AssertionError("bound " + settings.port() + ", which the test holds");
    }

    private int run(String... args) {
        ServerMain.Spec spec = new ServerMain.Spec("test-server", 8001, USAGE,
                (settings, pipeline) -> bindOnly(settings),
                (host, port, tls, probeOut) -> {
                    probed.add(host + ":" + port);
                    return ServerMain.EXIT_FAILURE;
                });
        return ServerMain.run(spec, args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheUsageAndExitsZeroOnHelp() {
        assertEquals(ServerMain.EXIT_OK, run("--help", "--port", "70000"));
        assertEquals(USAGE, out.toString(StandardCharsets.UTF_8));
        assertEquals("", err());
    }

    @Test
    void exitsTwoWithOneLineOnAnUnknownOption() {
        assertEquals(ServerMain.EXIT_BAD_CONFIGURATION, run("--prot", "8001"));
        assertEquals("test-server: unknown option --prot (see --help)" + System.lineSeparator(), err());
    }

    @Test
    void exitsTwoWithOneLineOnAnInvalidNumberOrAPortOutOfRange() {
        assertEquals(ServerMain.EXIT_BAD_CONFIGURATION, run("--workers", "many"));
        assertEquals(ServerMain.EXIT_BAD_CONFIGURATION, run("--port", "70000"));
        List<String> lines = err().lines().toList();
        assertEquals("test-server: --workers: expected a whole number, got 'many'", lines.get(0));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("test-server: --port"), lines.get(1));
    }

    @Test
    void exitsOneAndSaysWhatToDoWhenThePortIsInUse(@TempDir Path storage) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(ServerMain.EXIT_FAILURE,
                    run("--port", String.valueOf(port), "--bind", "127.0.0.1", "--storage", storage.toString()));
            assertEquals("test-server: port " + port + " is in use: stop the other server or pass --port"
                    + System.lineSeparator(), err());
        }
    }

    @Test
    void probeAsksTheDefaultHostAndPortAndExitsWithItsAnswer() {
        assertEquals(ServerMain.EXIT_FAILURE, run("--probe"));
        assertEquals(ServerMain.EXIT_FAILURE, run("--probe", "--host", "::1", "--port", "9"));
        assertEquals(List.of("127.0.0.1:8001", "::1:9"), probed);
    }

    @Test
    void probeRefusesTheServersOwnOptions() {
        assertEquals(ServerMain.EXIT_BAD_CONFIGURATION, run("--probe", "--workers", "3"));
        assertEquals("test-server: unknown option --workers (see --help)" + System.lineSeparator(), err());
        assertEquals(List.of(), probed);
    }
}

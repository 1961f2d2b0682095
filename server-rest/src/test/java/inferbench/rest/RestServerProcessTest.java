package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as its own process, as it runs in production: what the JDK reads once per process
 * (the idle timeout) comes from this server's flags, and SIGTERM ends it with exit status 0.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestServerProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) ");

    @Test
    void closesIdleConnectionsAfterItsIdleTimeoutAndStopsWithStatus0DespiteHalfSentHeaders(@TempDir Path dir)
            throws Exception {
        Path stderr = dir.resolve("stderr.txt");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), RestServerMain.class.getName(),
                "--port", "0", "--bind", "127.0.0.1", "--storage", dir.resolve("storage").toString(),
                "--access-log", "false", "--idle-timeout", "1", "--header-timeout", "30")
                .redirectError(stderr.toFile())
                .start();
        try {
            int port = port(server);
            try (RawHttp kept = new RawHttp(port)) {
                assertEquals(200, kept.exchange(RawHttp.request("GET", "/healthz", null)).status());
                long idleSince = System.nanoTime();
                assertTrue(kept.closedByServerWithin(Duration.ofSeconds(5)), "an idle connection was kept");
                assertTrue(System.nanoTime() - idleSince >= TimeUnit.MILLISECONDS.toNanos(900), "closed before 1 s idle");
            }

            // half-sent headers, 30 s from their deadline: the stop must not wait for them
            try (RawHttp half = new RawHttp(port).send("GET /healthz HTTP/1.1\r\nHo");
                 RawHttp otherHalf = new RawHttp(port).send("POST /predict HTTP/1.1\r\n")) {
                long stopping = System.nanoTime();
                server.destroy(); // SIGTERM
                assertTrue(server.waitFor(10, TimeUnit.SECONDS), "still running 10 s after SIGTERM");
                assertEquals(0, server.exitValue(), Files.readString(stderr));
                assertTrue(System.nanoTime() - stopping < TimeUnit.SECONDS.toNanos(5), "the stop waited for idle clients");
                assertTrue(half.closedByServerWithin(Duration.ofSeconds(1)));
                assertTrue(otherHalf.closedByServerWithin(Duration.ofSeconds(1)));
            }
            List<String> log = Files.readAllLines(stderr);
            assertTrue(log.contains("server-rest: stopped"), log.toString());
            assertFalse(log.toString().contains("cut off"), log.toString());
        } finally {
            server.destroyForcibly();
        }
    }

    /** The port from the server's "listening on" line, once it has printed it. */
    private static int port(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
        }
        throw new IllegalStateException("the server ended without listening (exit " + server.waitFor() + ")");
    }
}

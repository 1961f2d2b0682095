package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccessLogTest {
    @Test
    void formatsMethodTargetStatusBytesAndMilliseconds() {
        assertEquals("POST /predict?save=1 200 152 B 27.4 ms", AccessLog.line("POST", "/predict", "save=1", 200, "152", 27.43));
        assertEquals("GET / - - B 0.0 ms", AccessLog.line("GET", "/", null, -1, null, 0.01));
    }

    @Test
    void writesOneLinePerRequestWhenEnabled(@TempDir Path storage) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TestServer server = TestServer.start(storage, new PrintStream(log, true, StandardCharsets.UTF_8),
                "--access-log", "true")) {
            server.get("/healthz");
            server.get("/nope?x=1");
            // the line is written once the exchange is over, which can be just after the client has its reply
            TestServer.awaitTrue(() -> log.toString(StandardCharsets.UTF_8).lines().count() == 2);
        }
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).matches("GET /healthz 200 15 B \\d+\\.\\d ms"), lines.get(0));
        assertTrue(lines.get(1).matches("GET /nope\\?x=1 404 22 B \\d+\\.\\d ms"), lines.get(1));
    }

    @Tag("limits")
    @Test
    void logsA408AndAConnectionClosedBeforeItsHeadersArrived(@TempDir Path storage) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (TestServer server = TestServer.start(storage, new PrintStream(log, true, StandardCharsets.UTF_8),
                "--access-log", "true", "--header-timeout", "0.3", "--body-timeout", "0.3")) {
            try (RawHttp halfHeaders = new RawHttp(server.port())) {
                halfHeaders.send("GET / HTTP/1.1\r\n");
                assertTrue(halfHeaders.closedByServerWithin(Duration.ofSeconds(5)));
            }
            try (RawHttp halfBody = new RawHttp(server.port())) {
                halfBody.send(RawHttp.request("POST", "/predict", null, "Content-Length: 10")).send("12345");
                assertEquals(408, halfBody.within(Duration.ofSeconds(5)).read().status());
            }
            TestServer.awaitTrue(() -> log.toString(StandardCharsets.UTF_8).lines().count() == 2);
        }
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).matches("- - - - B \\d+\\.\\d ms closed: request line and headers not received within 0\\.3 s"),
                lines.get(0));
        assertTrue(lines.get(1).matches("POST /predict 408 51 B \\d+\\.\\d ms"), lines.get(1));
    }
}

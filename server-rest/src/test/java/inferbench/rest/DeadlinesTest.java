package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header and body deadlines, 0.5 s and 0.3 s here (the clock checks them every 0.1 s): what a
 * late client gets, and what an on-time one never does.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlinesTest {
    private static TestServer server;
    private static byte[] small;

    @BeforeAll
    static void start(@TempDir Path storage) throws Exception {
        // room for every client below at once: a 503 "busy" would hide what the test is about
        server = TestServer.start(storage, "--header-timeout", "0.5", "--body-timeout", "0.3", "--workers", "2", "--queue", "32");
        small = TestServer.smallJpeg();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] predictHead() {
        return RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg", "Content-Length: " + small.length);
    }

    @Test
    void closesAConnectionWhoseHeadersDoNotArriveInTime() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            long start = System.nanoTime();
            connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // no blank line: the headers go on
            assertTrue(connection.closedByServerWithin(Duration.ofSeconds(5)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(500), "closed before its deadline");
        }
    }

    @Test
    void answers408AndClosesWhenTheBodyDoesNotArriveInTime() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(predictHead()).send(Arrays.copyOf(small, small.length / 2));
            RawHttp.Response response = connection.within(Duration.ofSeconds(5)).read();
            assertEquals(408, response.status(), response.body());
            assertEquals("application/json", response.header("Content-Type"));
            assertEquals("request body not received within 0.3 s", response.json().get("detail"));
            assertEquals("close", response.header("Connection"));
            assertTrue(connection.closedByServer());
        }
    }

    @Test
    void countsTheHeaderDeadlineFromTheRequestsFirstByteNotFromTheConnectionsStart() throws Exception {
        byte[] healthz = RawHttp.request("GET", "/healthz", null);
        try (RawHttp connection = new RawHttp(server.port())) {
            assertEquals(200, connection.exchange(healthz).status());
            Thread.sleep(700); // kept alive and idle for longer than both deadlines
            assertEquals(200, connection.exchange(healthz).status());
            connection.send(Arrays.copyOf(healthz, 20));
            Thread.sleep(200); // slow, but within the deadline
            RawHttp.Response late = connection.exchange(Arrays.copyOfRange(healthz, 20, healthz.length));
            assertEquals(200, late.status());
        }
    }

    /**
     * Bodies that end around their deadline: each gets its detection or a 408, never a hang or a
     * silent close, and no deadline that fires as a request completes is left behind to close
     * a later request on the same thread.
     */
    @Test
    void bodiesFinishingAtTheirDeadlineGetAnAnswerAndLeaveLaterRequestsUnharmed() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> racing = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                long delayMillis = 240 + i * 10; // 240 to 390 ms: on either side of the deadline, which fires at 300 to 400 ms
                racing.add(clients.submit(() -> finishBodyAfter(delayMillis)));
            }
            for (Future<Integer> status : racing) {
                int answered = status.get(30, TimeUnit.SECONDS);
                assertTrue(answered == 200 || answered == 408, "status " + answered);
            }
            List<Future<Integer>> normal = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                boolean healthz = i % 2 == 0;
                normal.add(clients.submit(() -> healthz ? server.get("/healthz").statusCode()
                        : server.post("/predict", "image/jpeg", small).statusCode()));
            }
            for (Future<Integer> status : normal) {
                assertEquals(200, status.get(30, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static int finishBodyAfter(long delayMillis) throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(predictHead()).send(Arrays.copyOf(small, small.length - 1));
            Thread.sleep(delayMillis);
            try {
                connection.send(new byte[] {small[small.length - 1]});
            } catch (IOException alreadyClosed) {
                // the 408 came first; it is waiting to be read
            }
            return connection.within(Duration.ofSeconds(10)).read().status();
        }
    }
}

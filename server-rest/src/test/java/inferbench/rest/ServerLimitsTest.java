package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The limits on the whole server, not one request: connections being read at once, and the memory bodies hold. */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerLimitsTest {
    private static final byte[] HEALTHZ = RawHttp.request("GET", "/healthz", null);

    @Test
    void closesARequestPastMaxConnectionsWithoutAnAnswerAndServesAgainOnceAThreadIsFree(@TempDir Path storage)
            throws Exception {
        try (TestServer server = TestServer.start(storage, "--max-connections", "3")) {
            List<RawHttp> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    stalled.add(new RawHttp(server.port()).send("GET /healthz HTTP/1.1\r\nHo"));
                }
                // each takes a connection thread as soon as the JDK hands its connection over
                assertTrue(eventually(() -> !answered(server)), "a fourth request was still answered");

                stalled.remove(0).close(); // its thread sees the end of the stream and is free again
                assertTrue(eventually(() -> answered(server)), "no request was answered after a thread was freed");
            } finally {
                for (RawHttp connection : stalled) {
                    connection.close();
                }
            }
        }
    }

    /** True if a new connection's GET /healthz is answered 200, false if the server closes it unanswered. */
    private static boolean answered(TestServer server) throws IOException {
        try (RawHttp connection = new RawHttp(server.port())) {
            return connection.within(Duration.ofSeconds(5)).exchange(HEALTHZ).status() == 200;
        } catch (IOException closedUnanswered) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean test() throws IOException;
    }

    /** Tries for up to 10 s: the server's threads change state a moment after the client's call returns. */
    private static boolean eventually(Check check) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (check.test()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /**
     * Three bodies of 1,000,000 bytes, each stopped one byte short, against a budget of 2 MiB: not
     * all of them fit, so at least one is refused at once with 503, and the others get their 408
     * at the body deadline. Once they are gone, the budget is whole again.
     */
    @Test
    void refusesABodyWhenBodiesInProgressHoldTheBodyMemoryAndRecovers(@TempDir Path storage) throws Exception {
        int length = 1_000_000;
        byte[] almostAll = new byte[length - 1];
        new Random(1).nextBytes(almostAll);
        try (TestServer server = TestServer.start(storage, "--max-body", "1048576", "--body-memory", "2097152",
                "--body-timeout", "0.5")) {
            List<RawHttp> greedy = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttp connection = new RawHttp(server.port());
                    greedy.add(connection);
                    try {
                        connection.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg",
                                "Content-Length: " + length)).send(almostAll);
                    } catch (IOException refusedAndClosed) {
                        // the 503 is waiting to be read
                    }
                }
                int refused = 0;
                for (RawHttp connection : greedy) {
                    RawHttp.Response response = connection.within(Duration.ofSeconds(10)).read();
                    if (response.status() == 503) {
                        refused++;
                        assertEquals("server busy: the request bodies in progress hold all of the body memory"
                                + " (2097152 bytes); retry shortly", response.json().get("detail"));
                        assertEquals("1", response.header("Retry-After"));
                        assertEquals("close", response.header("Connection"));
                    } else {
                        assertEquals(408, response.status(), response.body());
                    }
                }
                assertTrue(refused >= 1, "no body was refused");
            } finally {
                for (RawHttp connection : greedy) {
                    connection.close();
                }
            }
            assertEquals(200, server.post("/predict", "image/jpeg", SampleFrames.faceJpeg()).statusCode());
        }
    }
}

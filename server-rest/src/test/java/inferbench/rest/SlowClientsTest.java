package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleFrames;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and stalled clients cost a connection thread each, for the length of their deadlines,
 * never a detection worker: the server goes on answering everyone else meanwhile.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientsTest {
    private static final int SLOW_BODIES = 200;
    private static final int HALF_HEADERS = 50;

    @Test
    void answersNormalRequestsWhile250StalledClientsHangThenClosesThemAtTheirDeadlines(@TempDir Path storage)
            throws Exception {
        byte[] face = SampleFrames.faceJpeg();
        // deadlines longer than the normal requests below take, so those run while every stalled client hangs
        try (TestServer server = TestServer.start(storage, "--header-timeout", "3", "--body-timeout", "3")) {
            for (int i = 0; i < 3; i++) { // the first requests of a JVM pay for class loading and the JIT
                assertEquals(200, server.post("/predict", "image/jpeg", face).statusCode());
            }
            List<RawHttp> halfHeaders = new ArrayList<>();
            List<RawHttp> slowBodies = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < HALF_HEADERS; i++) {
                    halfHeaders.add(new RawHttp(server.port()).send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"));
                }
                for (int i = 0; i < SLOW_BODIES; i++) {
                    slowBodies.add(new RawHttp(server.port()).send(RawHttp.request("POST", "/predict", null,
                            "Content-Type: image/jpeg", "Content-Length: " + face.length)));
                }
                trickle.scheduleAtFixedRate(() -> sendOneByteEach(slowBodies), 0, 500, TimeUnit.MILLISECONDS);

                for (int i = 0; i < 10; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = server.post("/predict", "image/jpeg", face);
                    assertEquals(200, response.statusCode(), response.body());
                    assertEquals(1.0, TestServer.json(response).get("detection_count"));
                    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "request " + i + " took "
                            + (System.nanoTime() - start) / 1_000_000 + " ms");
                }
                assertEquals(200, server.get("/healthz").statusCode());

                for (RawHttp slow : slowBodies) {
                    RawHttp.Response timedOut = slow.within(Duration.ofSeconds(10)).read();
                    assertEquals(408, timedOut.status(), timedOut.body());
                    assertEquals("request body not received within 3 s", timedOut.json().get("detail"));
                    assertEquals("close", timedOut.header("Connection"));
                    assertTrue(slow.closedByServer());
                }
                for (RawHttp half : halfHeaders) {
                    assertTrue(half.closedByServerWithin(Duration.ofSeconds(10)));
                }
            } finally {
                trickle.shutdownNow();
                for (RawHttp connection : halfHeaders) {
                    connection.close();
                }
                for (RawHttp connection : slowBodies) {
                    connection.close();
                }
            }
        }
    }

    private static void sendOneByteEach(List<RawHttp> connections) {
        for (RawHttp connection : connections) {
            try {
                connection.send(new byte[] {(byte) 0xFF});
            } catch (IOException closedByTheServer) {
                // its deadline has passed
            }
        }
    }
}

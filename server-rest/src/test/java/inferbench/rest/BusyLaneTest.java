package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleFrames;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Saturation: 1 worker and a queue of 1, so the third request at once is answered 503. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusyLaneTest {
    private static TestServer server;
    private static byte[] face;

    @BeforeAll
    static void start(@TempDir Path storage) throws Exception {
        server = TestServer.start(storage, "--workers", "1", "--queue", "1");
        face = SampleFrames.faceJpeg();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    /** Waits (bounded by the test timeout) for a condition on the server's state, not for a time. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(5);
        }
    }

    /** Starts a request that holds its worker (or queue place) until the rest of the body is sent. */
    private static RawHttp halfSentPredict() throws Exception {
        RawHttp connection = new RawHttp(server.port());
        connection.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg",
                "Content-Length: " + face.length));
        connection.send(Arrays.copyOf(face, face.length / 2));
        return connection;
    }

    private static RawHttp.Response finish(RawHttp connection) throws Exception {
        return connection.send(Arrays.copyOfRange(face, face.length / 2, face.length)).read();
    }

    @Test
    void answers503WithRetryAfterWhenWorkerAndQueueAreTakenAndRecovers() throws Exception {
        awaitTrue(() -> server.server.requestsInFlight() == 0);
        try (RawHttp running = halfSentPredict(); RawHttp kept = new RawHttp(server.port())) {
            awaitTrue(() -> server.server.requestsInFlight() == 1);
            try (RawHttp queued = halfSentPredict()) {
                awaitTrue(() -> server.server.requestsInFlight() == 2);

                List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    burst.add(CompletableFuture.supplyAsync(() -> post(face)));
                }
                for (CompletableFuture<HttpResponse<String>> reply : burst) {
                    HttpResponse<String> response = reply.get(30, TimeUnit.SECONDS);
                    assertEquals(503, response.statusCode());
                    assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
                    assertEquals("server busy: every worker and queue slot is taken, retry shortly",
                            TestServer.json(response).get("detail"));
                }
                RawHttp.Response refused = kept.exchange(RawHttp.request("POST", "/predict", face,
                        "Content-Type: image/jpeg"));
                assertEquals(503, refused.status());

                RawHttp.Response first = finish(running);
                assertEquals(200, first.status(), first.body());
                RawHttp.Response second = finish(queued);
                assertEquals(200, second.status(), second.body());
            }
            // Once the work in flight is done, the same connection that got the 503 gets a detection:
            // the server has recovered and the connection was kept alive. (Waiting matters: closing
            // the connections above makes the JDK run a short task per connection to see the close,
            // and with one queue place such a task can still take it for a moment.)
            awaitTrue(() -> server.server.requestsInFlight() == 0);
            RawHttp.Response recovered = kept.exchange(RawHttp.request("POST", "/predict", face, "Content-Type: image/jpeg"));
            assertEquals(200, recovered.status(), recovered.body());
            assertEquals(1.0, recovered.json().get("detection_count"));
        }
    }

    @Test
    void aBurstGetsOnlyDetectionsOr503sWithoutHangingAndTheServerRecovers() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            burst.add(CompletableFuture.supplyAsync(() -> post(face)));
        }
        for (CompletableFuture<HttpResponse<String>> reply : burst) {
            HttpResponse<String> response = reply.get(30, TimeUnit.SECONDS);
            assertTrue(response.statusCode() == 200 || response.statusCode() == 503, response.body());
            if (response.statusCode() == 200) {
                assertEquals(1.0, TestServer.json(response).get("detection_count"));
            }
        }
        awaitTrue(() -> server.server.requestsInFlight() == 0);
        assertEquals(200, post(face).statusCode());
    }

    private static HttpResponse<String> post(byte[] jpeg) {
        try {
            return server.post("/predict", "image/jpeg", jpeg);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

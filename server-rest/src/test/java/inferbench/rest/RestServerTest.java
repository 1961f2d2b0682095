package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.ParityFrames;
import inferbench.samples.SampleFrames;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

/** The server as a whole: its small endpoints, keep-alive, concurrent clients, graceful stop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestServerTest {
    private static TestServer server;
    private static byte[] face;
    private static byte[] noFace;
    private static byte[] twoFaces;

    @BeforeAll
    static void start(@TempDir Path storage) throws Exception {
        server = TestServer.start(storage, "--workers", "2", "--queue", "8");
        face = SampleFrames.faceJpeg();
        noFace = SampleFrames.noFaceJpeg();
        twoFaces = SampleFrames.twoFaceJpeg();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void answersTheRootMessage() throws Exception {
        HttpResponse<String> response = server.get("/");
        assertEquals(200, response.statusCode());
        assertEquals(Map.of("message", "REST Image Service OK. POST /predict"), TestServer.json(response));
    }

    @Test
    void answersHealthzWithStatusOk() throws Exception {
        HttpResponse<String> response = server.get("/healthz");
        assertEquals(200, response.statusCode());
        assertEquals(Map.of("status", "ok"), TestServer.json(response));
    }

    /** The server's default settings, as a user starts it: the original's answer on every parity frame. */
    @Test
    void answersEveryParityFrameAsTheOriginalDid() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (ParityFrames.Frame frame : ParityFrames.all()) {
            HttpResponse<String> response = server.post("/predict?save=0", "image/jpeg", frame.jpeg());
            assertEquals(200, response.statusCode(), response.body());
            List<float[]> boxes = new ArrayList<>();
            for (Object box : (List<?>) TestServer.json(response).get("boxes")) {
                List<?> xywh = (List<?>) box;
                boxes.add(new float[] {number(xywh.get(0)), number(xywh.get(1)), number(xywh.get(2)), number(xywh.get(3))});
            }
            String mismatch = frame.mismatch(boxes);
            if (!mismatch.isEmpty()) {
                mismatches.add(mismatch);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    private static float number(Object value) {
        return ((Double) value).floatValue();
    }

    /**
     * One raw socket, so one TCP connection by construction: had the server closed it, the
     * next request would fail. Mostly cheap GET /healthz, with a real detection and a refused
     * request every 100 to show neither ends the connection: 300 requests, well past any
     * per-connection count a server might cap (the gRPC server's default is 100 calls).
     */
    @Test
    void servesThreeHundredRequestsOnOneKeptAliveConnection() throws Exception {
        byte[] healthz = RawHttp.request("GET", "/healthz", null);
        byte[] predict = RawHttp.request("POST", "/predict", face, "Content-Type: image/jpeg");
        byte[] refused = RawHttp.request("POST", "/predict", face, "Content-Type: image/png");
        try (RawHttp connection = new RawHttp(server.port())) {
            for (int i = 0; i < 300; i++) {
                RawHttp.Response response;
                if (i % 100 == 0) {
                    response = connection.exchange(predict);
                    assertEquals(200, response.status(), "request " + i);
                    assertEquals(1.0, response.json().get("detection_count"));
                } else if (i % 100 == 50) {
                    response = connection.exchange(refused);
                    assertEquals(415, response.status(), "request " + i);
                } else {
                    response = connection.exchange(healthz);
                    assertEquals(200, response.status(), "request " + i);
                }
                assertNull(response.header("Connection"), "request " + i);
            }
        }
    }

    @Test
    void serves8ConcurrentClientsEachSendingEveryFrameWithoutMixingUpTheirReplies() throws Exception {
        List<byte[]> frames = List.of(face, noFace, twoFaces);
        List<Double> expectedCounts = List.of(1.0, 0.0, 2.0);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int client = 0; client < 8; client++) {
                int offset = client;
                done.add(clients.submit(() -> {
                    for (int i = 0; i < frames.size(); i++) {
                        int frame = (offset + i) % frames.size();
                        HttpResponse<String> response = server.post("/predict", "image/jpeg", frames.get(frame));
                        assertEquals(200, response.statusCode(), response.body());
                        assertEquals(expectedCounts.get(frame), TestServer.json(response).get("detection_count"));
                    }
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get(50, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * The routes refuse a request before its body is read, so a client cannot make the server read
     * and hold a body it then refuses: a 16 MiB body (the default --max-body) declared to an
     * unknown path is answered at once, without a byte of it sent, and the connection closed.
     * (A small body is read and dropped instead, and the connection goes on: ErrorRepliesTest.)
     */
    @Tag("limits")
    @Test
    void refusesAnUnknownPathBeforeReadingItsBody() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            RawHttp.Response response = connection.within(Duration.ofSeconds(5)).exchange(RawHttp.request("POST",
                    "/nope", null, "Content-Type: image/jpeg", "Content-Length: " + 16 * 1024 * 1024));
            assertEquals(404, response.status(), response.body());
            assertEquals("Not Found", response.json().get("detail"));
            assertEquals("close", response.header("Connection"));
            assertTrue(connection.closedByServer());
        }
    }

    /**
     * Issue 17, item 6: a stop closes at once the connections whose request has not arrived
     * (two half-sent headers, a half-sent body, which is told why), answers the requests that
     * have (a detection running and one queued), refuses new ones, and reports every admitted
     * request answered, long before the grace period is over.
     */
    @Tag("limits")
    @Test
    void stopClosesIncompleteRequestsAtOnceAndAnswersTheAdmittedOnes(@TempDir Path storage) throws Exception {
        byte[] big = TestServer.bigJpeg();
        TestServer stopping = TestServer.start(storage, "--workers", "1", "--queue", "2");
        byte[] predictBig = RawHttp.request("POST", "/predict", big, "Content-Type: image/jpeg");
        try (RawHttp halfHeaders = new RawHttp(stopping.port()).send("GET /healthz HTTP/1.1\r\nHo");
             RawHttp otherHalfHeaders = new RawHttp(stopping.port()).send("POST /predict HTTP/1.1\r\n");
             RawHttp halfBody = new RawHttp(stopping.port());
             RawHttp running = new RawHttp(stopping.port());
             RawHttp queued = new RawHttp(stopping.port())) {
            halfBody.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg",
                    "Content-Length: " + face.length)).send(Arrays.copyOf(face, face.length / 2));
            running.send(predictBig);
            queued.send(predictBig);
            TestServer.awaitTrue(() -> stopping.server.requestsInFlight() == 2);

            long start = System.nanoTime();
            CompletableFuture<Boolean> stop = CompletableFuture.supplyAsync(() -> stopping.stop(Duration.ofSeconds(10)));
            HttpResponse<String> refused = stopping.get("/healthz");
            while (refused.statusCode() == 200) { // until the stop has begun
                Thread.sleep(5);
                refused = stopping.get("/healthz");
            }
            assertEquals(503, refused.statusCode());
            assertEquals("server is shutting down", TestServer.json(refused).get("detail"));
            assertEquals("close", refused.headers().firstValue("Connection").orElse(""));

            assertTrue(halfHeaders.closedByServerWithin(Duration.ofSeconds(2)));
            assertTrue(otherHalfHeaders.closedByServerWithin(Duration.ofSeconds(2)));
            RawHttp.Response cutShort = halfBody.within(Duration.ofSeconds(2)).read();
            assertEquals(503, cutShort.status());
            assertEquals("server is shutting down", cutShort.json().get("detail"));
            for (RawHttp admitted : List.of(running, queued)) {
                RawHttp.Response answered = admitted.read();
                assertEquals(200, answered.status(), answered.body());
                assertEquals(1.0, answered.json().get("detection_count"));
            }
            assertTrue(stop.get(30, TimeUnit.SECONDS), "every admitted request was answered within the grace period");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the stop waited for the idle clients");
        }
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), stopping.port()).close());
    }
}

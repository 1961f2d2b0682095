package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleFrames;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A complete request asks the worker pool for a place: 503 at once when every worker and queue
 * place is taken, and never "busy" for clients that wait for their reply, up to workers + queue of them.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerAdmissionTest {
    private static final byte[] SMALL = TestServer.smallJpeg();

    private static byte[] predict(byte[] jpeg) {
        return RawHttp.request("POST", "/predict", jpeg, "Content-Type: image/jpeg");
    }

    @Test
    void answers503WithRetryAfterWhenEveryWorkerAndQueuePlaceIsTakenAndKeepsTheConnection(@TempDir Path storage)
            throws Exception {
        byte[] big = TestServer.bigJpeg();
        try (TestServer server = TestServer.start(storage, "--workers", "1", "--queue", "1");
             RawHttp running = new RawHttp(server.port());
             RawHttp queued = new RawHttp(server.port());
             RawHttp refused = new RawHttp(server.port())) {
            running.send(predict(big));
            queued.send(predict(big));
            TestServer.awaitTrue(() -> server.server.requestsInFlight() == 2);

            RawHttp.Response busy = refused.exchange(predict(SMALL));
            assertEquals(503, busy.status(), busy.body());
            assertEquals("1", busy.header("Retry-After"));
            assertEquals("server busy: every worker (1) and queue place (1) is taken; retry shortly",
                    busy.json().get("detail"));
            assertNull(busy.header("Connection"), "the body was read, so the connection goes on");

            assertEquals(200, running.read().status());
            assertEquals(200, queued.read().status());
            RawHttp.Response recovered = refused.exchange(predict(SMALL));
            assertEquals(200, recovered.status(), recovered.body());
        }
    }

    @Test
    void aBurstGetsOnlyDetectionsOr503sWithoutHangingAndTheServerRecovers(@TempDir Path storage) throws Exception {
        byte[] face = SampleFrames.faceJpeg();
        try (TestServer server = TestServer.start(storage, "--workers", "1", "--queue", "1")) {
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> post(server, face)));
            }
            for (CompletableFuture<HttpResponse<String>> reply : burst) {
                HttpResponse<String> response = reply.get(30, TimeUnit.SECONDS);
                assertTrue(response.statusCode() == 200 || response.statusCode() == 503, response.body());
                if (response.statusCode() == 200) {
                    assertEquals(1.0, TestServer.json(response).get("detection_count"));
                }
            }
            TestServer.awaitTrue(() -> server.server.requestsInFlight() == 0);
            assertEquals(200, post(server, face).statusCode());
        }
    }

    /**
     * Issue 17, item 3: six clients for two workers and four queue places, each sending its next
     * request as soon as it has its reply. A place is given back before the reply is written, so
     * none of them is ever told "busy".
     */
    @Test
    void closedLoopClientsAsManyAsWorkersPlusQueueAreNeverToldBusy(@TempDir Path storage) throws Exception {
        int clients = 6;
        int requestsEach = 25;
        try (TestServer server = TestServer.start(storage, "--workers", "2", "--queue", "4")) {
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    done.add(pool.submit(() -> {
                        try (RawHttp connection = new RawHttp(server.port())) {
                            for (int i = 0; i < requestsEach; i++) {
                                statuses.merge(connection.exchange(predict(SMALL)).status(), 1, Integer::sum);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> client : done) {
                    client.get(50, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(Map.of(200, clients * requestsEach), statuses);
        }
    }

    private static HttpResponse<String> post(TestServer server, byte[] jpeg) {
        try {
            return server.post("/predict", "image/jpeg", jpeg);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

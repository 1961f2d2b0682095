package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleFrames;
import inferbench.scrape.MetricsText;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST server's {@code GET /metrics} after real requests, each counted under the way it
 * ended: answered, malformed, of a type the server does not take, refused for its size.
 */
@Tag("metrics")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsTest {
    private static final int LIMIT = 1024 * 1024;

    @Test
    void countsEveryRequestUnderHowItEnded(@TempDir Path storage) throws Exception {
        // REST serves its metrics on its own port: any --metrics-port but 0 turns them on
        try (TestServer server = TestServer.start(storage, "--metrics-port", "9464", "--max-body",
                Integer.toString(LIMIT))) {
            byte[] face = SampleFrames.faceJpeg();
            assertEquals(200, server.post("/predict", "image/jpeg", face).statusCode());
            assertEquals(200, server.post("/predict?save=1", Forms.contentType(Forms.CURL_BOUNDARY),
                    Forms.fileForm(Forms.CURL_BOUNDARY, face)).statusCode());
            assertEquals(400, server.post("/predict", Forms.contentType(Forms.CURL_BOUNDARY),
                    Forms.text("not a form")).statusCode());
            assertEquals(415, server.post("/predict", "image/png", face).statusCode());
            try (RawHttp connection = new RawHttp(server.port())) {
                connection.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg",
                        "Content-Length: " + (LIMIT + 1)));
                assertEquals(413, connection.read().status());
            }
            assertEquals(200, server.get("/healthz").statusCode()); // not an inference request: not counted

            MetricsText metrics = scrapeWhen(server, 5);
            assertEquals(2, requests(metrics, "ok"));
            assertEquals(1, requests(metrics, "bad_request"));
            assertEquals(1, requests(metrics, "unsupported_media_type"));
            assertEquals(1, requests(metrics, "too_large"));
            assertEquals(5, metrics.value("inferbench_request_duration_seconds_count", "protocol", "rest"));
            // the two answered, and no other, went through a worker; the frame has one face
            assertEquals(2, metrics.value("inferbench_detection_seconds_count", "protocol", "rest"));
            assertEquals(2, metrics.value("inferbench_queue_wait_seconds_count", "protocol", "rest"));
            assertEquals(2, metrics.value("inferbench_faces_detected_total", "protocol", "rest"));
            assertEquals(1, metrics.value("inferbench_saved_frames_total", "protocol", "rest"));
            // bodies read in full: the answered two, the malformed form and the PNG, not the one refused
            assertEquals(4, metrics.value("inferbench_request_size_bytes_count", "protocol", "rest"));
            assertEquals(0, metrics.value("inferbench_requests_in_flight", "protocol", "rest"));
            assertEquals(0, metrics.value("inferbench_limit_hits_total", "protocol", "rest"));
            assertTrue(metrics.value("process_open_fds") > 0, "the process's own metrics");
            assertTrue(metrics.value("jvm_memory_used_bytes") > 0, "the JVM's own metrics");
        }
    }

    @Test
    void hasNoMetricsWithMetricsPortZero(@TempDir Path storage) throws Exception {
        try (TestServer server = TestServer.start(storage, "--metrics-port", "0")) {
            assertEquals(404, server.get("/metrics").statusCode());
        }
    }

    /** The server counts a request once its reply is written, which the client may read first. */
    private static MetricsText scrapeWhen(TestServer server, int requests) throws Exception {
        while (true) {
            MetricsText metrics = MetricsText.scrape(server.client, server.uri("/metrics"));
            if (metrics.value("inferbench_requests_total", "protocol", "rest") >= requests) {
                return metrics;
            }
            Thread.sleep(10);
        }
    }

    private static double requests(MetricsText metrics, String outcome) {
        return metrics.value("inferbench_requests_total", "protocol", "rest", "outcome", outcome);
    }
}

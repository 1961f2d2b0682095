package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import inferbench.scrape.MetricsText;
import org.junit.jupiter.api.Test;

class ServerTimeTest {
    @Test
    void takesTheMeansOfWhatTheServerCountedBetweenTwoScrapes() {
        MetricsText before = MetricsText.parse(text(3, 0.09, 0.003, 0.075));
        MetricsText after = MetricsText.parse(text(13, 0.39, 0.013, 0.325));

        ServerTime time = ServerTime.between(before, after, "grpc");

        assertEquals(10, time.requests());
        assertEquals(30.0, time.requestMs(), 1e-9);
        assertEquals(1.0, time.queueMs(), 1e-9);
        assertEquals(25.0, time.detectionMs(), 1e-9);
        assertFalse(ServerTime.between(null, after, "grpc").known(), "no metrics before: nothing known");
    }

    /** What a server exposes, trimmed: REST's lines beside gRPC's must not count. */
    private static String text(int count, double seconds, double queue, double detection) {
        return "# TYPE inferbench_request_duration_seconds histogram\n"
                + "inferbench_request_duration_seconds_bucket{protocol=\"grpc\",le=\"+Inf\"} " + count + "\n"
                + "inferbench_request_duration_seconds_count{protocol=\"grpc\"} " + count + "\n"
                + "inferbench_request_duration_seconds_sum{protocol=\"grpc\"} " + seconds + "\n"
                + "inferbench_request_duration_seconds_count{protocol=\"rest\"} 99\n"
                + "inferbench_queue_wait_seconds_count{protocol=\"grpc\"} " + count + "\n"
                + "inferbench_queue_wait_seconds_sum{protocol=\"grpc\"} " + queue + "\n"
                + "inferbench_detection_seconds_count{protocol=\"grpc\"} " + count + "\n"
                + "inferbench_detection_seconds_sum{protocol=\"grpc\"} " + detection + "\n";
    }
}

package inferbench.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyMetricsTest {
    private static final long MS = 1_000_000;

    @Test
    void showsTheLatestLatencyAndTheMedianOfTheRecentOnes() {
        LatencyMetrics metrics = new LatencyMetrics();
        metrics.record(30, 100 * MS);
        metrics.record(10, 200 * MS);
        metrics.record(20, 300 * MS);
        LatencyMetrics.Snapshot s = metrics.snapshot();
        assertEquals(20, s.lastMs());
        assertEquals(20, s.medianMs());
        metrics.record(50, 400 * MS);
        assertEquals(25, metrics.snapshot().medianMs(), "an even count averages the middle two");
    }

    @Test
    void takesTheMedianOverTheLastThirtyRepliesOnly() {
        LatencyMetrics metrics = new LatencyMetrics();
        for (int i = 0; i < 30; i++) {
            metrics.record(1000, i * MS);
        }
        for (int i = 0; i < 30; i++) {
            metrics.record(10, (100 + i) * MS);
        }
        assertEquals(10, metrics.snapshot().medianMs());
    }

    @Test
    void computesTheRateFromTheTimeBetweenReplies() {
        LatencyMetrics metrics = new LatencyMetrics();
        metrics.record(5, 0);
        assertTrue(Double.isNaN(metrics.snapshot().fps()), "one reply gives no rate yet");
        metrics.record(5, 40 * MS);
        metrics.record(5, 60 * MS);
        metrics.record(5, 160 * MS);
        LatencyMetrics.Snapshot s = metrics.snapshot();
        assertEquals(10, s.fps(), 1e-9, "100 ms since the previous reply");
        assertEquals(25, s.medianFps(), 1e-9, "median of 25, 50 and 10 per second");
    }

    @Test
    void givesNearestRankPercentilesSinceTheLastReset() {
        LatencyMetrics metrics = new LatencyMetrics();
        for (int i = 1; i <= 100; i++) {
            metrics.record(i, i * MS);
        }
        LatencyMetrics.Snapshot s = metrics.snapshot();
        assertEquals(50, s.p50Ms());
        assertEquals(95, s.p95Ms());
        assertEquals(100, s.replies());
    }

    @Test
    void roundsPercentilesToATenthOfAMillisecond() {
        LatencyMetrics metrics = new LatencyMetrics();
        metrics.record(12.34, 0);
        metrics.record(12.36, MS);
        metrics.record(40.0, 2 * MS);
        assertEquals(12.4, metrics.snapshot().p50Ms());
        assertEquals(40.0, metrics.snapshot().p95Ms());
    }

    @Test
    void keepsTheLastTwoHundredLatenciesOldestFirstForTheSparkline() {
        LatencyMetrics metrics = new LatencyMetrics();
        for (int i = 1; i <= 250; i++) {
            metrics.record(i, i * MS);
        }
        double[] history = metrics.snapshot().history();
        assertEquals(LatencyMetrics.HISTORY, history.length);
        assertEquals(51, history[0]);
        assertEquals(250, history[199]);
    }

    @Test
    void resetForgetsEverything() {
        LatencyMetrics metrics = new LatencyMetrics();
        metrics.record(10, 0);
        metrics.record(20, 50 * MS);
        metrics.recordError();
        metrics.reset();
        LatencyMetrics.Snapshot s = metrics.snapshot();
        assertEquals(0, s.replies());
        assertEquals(0, s.errors());
        assertTrue(Double.isNaN(s.lastMs()) && Double.isNaN(s.medianMs()) && Double.isNaN(s.fps())
                && Double.isNaN(s.p50Ms()) && Double.isNaN(s.p95Ms()));
        assertArrayEquals(new double[0], s.history());
        metrics.record(7, 60 * MS);
        assertTrue(Double.isNaN(metrics.snapshot().fps()), "the rate starts again from the next reply");
        assertEquals(7, metrics.snapshot().p95Ms());
    }

    @Test
    void countsErrorsApartFromLatencies() {
        LatencyMetrics metrics = new LatencyMetrics();
        metrics.recordError();
        metrics.record(10, 0);
        assertEquals(1, metrics.snapshot().errors());
        assertEquals(1, metrics.snapshot().replies());
    }
}

package inferbench.client;

import java.util.Arrays;

/**
 * Every latency since the last reset, counted in 0.1 ms buckets, for p50 and p95.
 *
 * <p>Keeping the samples themselves would grow for as long as the window stays open; the
 * buckets take a fixed 400 KB and still give each percentile to the nearest 0.1 ms. Latencies
 * over 10 s (twice the request timeout) are counted in the last bucket.
 */
final class LatencyHistogram {
    private static final int BUCKETS_PER_MS = 10;
    private static final int MAX_MS = 10_000;

    private final int[] counts = new int[MAX_MS * BUCKETS_PER_MS + 1];
    private long total;

    void add(double millis) {
        int bucket = (int) Math.min(counts.length - 1, Math.max(0, Math.round(millis * BUCKETS_PER_MS)));
        counts[bucket]++;
        total++;
    }

    long count() {
        return total;
    }

    void clear() {
        Arrays.fill(counts, 0);
        total = 0;
    }

    /**
     * Nearest-rank percentile: the smallest latency that at least {@code percent}% of the
     * samples do not exceed. NaN when there are no samples.
     */
    double percentile(double percent) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100 * total));
        long seen = 0;
        for (int bucket = 0; bucket < counts.length; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                return (double) bucket / BUCKETS_PER_MS;
            }
        }
        return MAX_MS;
    }
}

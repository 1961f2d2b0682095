package inferbench.client;

/**
 * The numbers on one panel's metrics card: end-to-end latency and reply rate, each as the
 * latest value and as a median, the last 200 latencies for the sparkline, and p50/p95 since
 * the last reset. Not thread safe: {@link PanelState} guards it.
 *
 * <p>Medians are over the last 30 replies, about one second at camera rate: enough to calm the
 * jitter of single requests, short enough to follow a change (another mode, a busy server).
 */
final class LatencyMetrics {
    static final int HISTORY = 200;
    static final int MEDIAN_OF = 30;

    private final SampleWindow latencies = new SampleWindow(HISTORY);
    private final SampleWindow rates = new SampleWindow(MEDIAN_OF);
    private final LatencyHistogram sinceReset = new LatencyHistogram();
    private long lastReplyNanos = -1;
    private double lastFps = Double.NaN;
    private long errors;

    /** One answered request: its end-to-end time, and when the answer came (System.nanoTime()). */
    void record(double endToEndMs, long answeredAtNanos) {
        latencies.add(endToEndMs);
        sinceReset.add(endToEndMs);
        if (lastReplyNanos >= 0 && answeredAtNanos > lastReplyNanos) {
            lastFps = 1e9 / (answeredAtNanos - lastReplyNanos);
            rates.add(lastFps);
        }
        lastReplyNanos = answeredAtNanos;
    }

    void recordError() {
        errors++;
    }

    void reset() {
        latencies.clear();
        rates.clear();
        sinceReset.clear();
        lastReplyNanos = -1;
        lastFps = Double.NaN;
        errors = 0;
    }

    Snapshot snapshot() {
        double[] history = latencies.toArray();
        return new Snapshot(sinceReset.count(), errors,
                history.length == 0 ? Double.NaN : history[history.length - 1],
                latencies.medianOfLast(MEDIAN_OF), lastFps, rates.medianOfLast(MEDIAN_OF),
                sinceReset.percentile(50), sinceReset.percentile(95), history);
    }

    /**
     * What the card shows; NaN where there is no value yet.
     *
     * @param replies  answered requests since the last reset
     * @param history  the last 200 end-to-end latencies, oldest first
     */
    record Snapshot(long replies, long errors, double lastMs, double medianMs, double fps, double medianFps,
                    double p50Ms, double p95Ms, double[] history) {
        static final Snapshot EMPTY = new LatencyMetrics().snapshot();
    }
}

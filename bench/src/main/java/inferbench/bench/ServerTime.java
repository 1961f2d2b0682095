package inferbench.bench;

import inferbench.scrape.MetricsText;

/**
 * A cell as the server saw it, from its own histograms ({@code GET /metrics} before and after the
 * cell's measured requests, the difference of their {@code _sum} and {@code _count}): how many
 * requests it counted, and of each, on average, its whole time from headers to reply, the wait
 * for a worker and the detection. NaN where the server's metrics could not be read.
 */
public record ServerTime(double requests, double requestMs, double queueMs, double detectionMs) {
    public static final ServerTime NONE = new ServerTime(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** The server's {@code protocol} label's share of what happened between the two scrapes. */
    static ServerTime between(MetricsText before, MetricsText after, String protocol) {
        if (before == null || after == null) {
            return NONE;
        }
        double requests = delta(before, after, "inferbench_request_duration_seconds_count", protocol);
        return new ServerTime(requests, meanMs(before, after, "inferbench_request_duration_seconds", protocol),
                meanMs(before, after, "inferbench_queue_wait_seconds", protocol),
                meanMs(before, after, "inferbench_detection_seconds", protocol));
    }

    public boolean known() {
        return !Double.isNaN(requests);
    }

    /** The server's time not spent waiting for a worker or detecting: reading, parsing, replying. */
    public double protocolMs() {
        return requestMs - queueMs - detectionMs;
    }

    private static double meanMs(MetricsText before, MetricsText after, String histogram, String protocol) {
        double count = delta(before, after, histogram + "_count", protocol);
        return count == 0 ? Double.NaN : delta(before, after, histogram + "_sum", protocol) / count * 1000;
    }

    private static double delta(MetricsText before, MetricsText after, String name, String protocol) {
        return after.value(name, "protocol", protocol) - before.value(name, "protocol", protocol);
    }
}

package inferbench.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies.
 *
 * <p>Percentiles interpolate linearly between the two nearest ranks (NumPy's default, which
 * the original Python benchmark used), so p50 of an even count is the mean of the middle two
 * and figures from both benchmarks can be compared.
 */
public record Stats(int count, double p50, double p90, double p99, double max) {

    public static final Stats EMPTY = new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Summarises the values; they need not be sorted and are not modified. */
    public static Stats of(double[] values) {
        if (values.length == 0) {
            return EMPTY;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Stats(sorted.length, percentile(sorted, 0.50), percentile(sorted, 0.90),
                percentile(sorted, 0.99), sorted[sorted.length - 1]);
    }

    /** The median of the values, NaN when there are none. */
    public static double median(double[] values) {
        return of(values).p50();
    }

    /**
     * @param sorted   values in ascending order, at least one
     * @param fraction 0 to 1 (0.99 for p99)
     */
    public static double percentile(double[] sorted, double fraction) {
        if (sorted.length == 0 || fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("need at least one value and a fraction in [0, 1]");
        }
        double rank = fraction * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    /** Requests per second: completed requests over the wall-clock time they took. */
    public static double throughput(int requests, long elapsedNanos) {
        return elapsedNanos <= 0 ? 0 : requests * 1e9 / elapsedNanos;
    }
}

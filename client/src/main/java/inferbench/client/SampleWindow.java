package inferbench.client;

import java.util.Arrays;

/** The last N values of a series, oldest first: a fixed-size ring, so a long run does not grow. */
final class SampleWindow {
    private final double[] values;
    private int next;
    private int size;

    SampleWindow(int capacity) {
        this.values = new double[capacity];
    }

    void add(double value) {
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    void clear() {
        next = 0;
        size = 0;
    }

    /** The values, oldest first. */
    double[] toArray() {
        double[] out = new double[size];
        int start = (next - size + values.length) % values.length;
        for (int i = 0; i < size; i++) {
            out[i] = values[(start + i) % values.length];
        }
        return out;
    }

    /** The median of the newest {@code count} values (the mean of the middle two for an even count); NaN when empty. */
    double medianOfLast(int count) {
        double[] all = toArray();
        double[] recent = Arrays.copyOfRange(all, Math.max(0, all.length - count), all.length);
        if (recent.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(recent);
        int mid = recent.length / 2;
        return recent.length % 2 == 1 ? recent[mid] : (recent[mid - 1] + recent[mid]) / 2;
    }
}

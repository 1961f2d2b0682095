import inferbench.metrics.Outcome;
import inferbench.metrics.ServerMetrics;
import inferbench.server.LimitsReport;
import java.util.Locale;
import java.util.Map;

/**
 * What one request's metric updates cost on the CPU, in a loop: the updates a server makes for a
 * saved, answered frame (the request's outcome and time, its size, its wait for a worker, its
 * detection, its faces and the saved frame) on one server's {@link ServerMetrics}, from two threads
 * at once as two workers would. The first half of scripts/metrics-cost.sh; it leaves out what is
 * protocol-specific around them (a few clock reads, a filter or tracer call, a small object).
 * <pre>java -cp 'server-rest/target/lib/*' scripts/MetricsCostProbe.java</pre>
 */
public final class MetricsCostProbe {
    private static final int REQUESTS = 2_000_000;
    private static final int ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        ServerMetrics metrics = new ServerMetrics("rest", new LimitsReport() {
            @Override
            public Map<String, Long> hits() {
                return Map.of();
            }

            @Override
            public int requestsOpen() {
                return 0;
            }

            @Override
            public long requestMemoryBytes() {
                return 0;
            }

            @Override
            public boolean stopping() {
                return false;
            }
        });
        ServerMetrics.Found found = new ServerMetrics.Found(1, true, false);
        double[] perRequest = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            Thread[] threads = new Thread[2];
            long start = System.nanoTime();
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> {
                    for (int i = 0; i < REQUESTS; i++) {
                        metrics.request(Outcome.OK, 20_000_000 + i % 30_000_000);
                        metrics.received(270_000 + i % 1000);
                        metrics.ran(50_000 + i % 1000, 19_000_000 + i % 30_000_000, found);
                    }
                });
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            perRequest[round] = (System.nanoTime() - start) / (double) REQUESTS; // each thread's time per request
            System.out.printf(Locale.ROOT, "metrics-cost: round %d: %.0f ns of metric updates per request%n",
                    round + 1, perRequest[round]);
        }
        java.util.Arrays.sort(perRequest);
        System.out.printf(Locale.ROOT, "metrics-cost: the metric updates of one request: %.2f us, the median of %d"
                + " rounds (2 threads, %,d requests each; the first round includes the JIT's work)%n",
                perRequest[ROUNDS / 2] / 1000, ROUNDS, REQUESTS);
    }
}

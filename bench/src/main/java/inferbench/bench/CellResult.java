package inferbench.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One cell of the results table: one transport (or the floor) at one frame size and one
 * concurrency, reduced to the figures the report shows.
 *
 * <p>Latency figures are over the successful requests only; throughput counts successful
 * requests over the time all requests took, so failures can only lower it.
 *
 * @param transport    the transport's name, or {@link #FLOOR}
 * @param threads      threads that sent: the concurrency, or for the floor min(concurrency, workers)
 * @param endToEnd     client-side latency percentiles, ms
 * @param serverP50    median of the latency the server reported, ms
 * @param overheadP50  median over requests of (end-to-end minus server-reported), ms
 * @param requestBytes mean bytes sent per request (0 for the floor: nothing is sent)
 * @param replyBytes   mean bytes received per reply
 * @param firstError   the first failure's message, or "" when nothing failed
 */
public record CellResult(String transport, FrameSize size, int concurrency, int threads, int requests, int errors,
                         double seconds, double throughput, Stats endToEnd, double serverP50, double overheadP50,
                         double requestBytes, double replyBytes, String firstError) {

    public static final String FLOOR = "floor (in-process)";

    public static CellResult of(String transport, FrameSize size, int concurrency, int threads,
                                LoadRunner.Run run) {
        List<Sample> ok = run.samples().stream().filter(Sample::ok).toList();
        String firstError = run.samples().stream().filter(s -> !s.ok()).map(Sample::error).findFirst().orElse("");
        return new CellResult(transport, size, concurrency, threads, run.samples().size(),
                run.samples().size() - ok.size(), run.elapsedNanos() / 1e9,
                Stats.throughput(ok.size(), run.elapsedNanos()),
                Stats.of(values(ok, Sample::endToEndMs)),
                Stats.median(values(ok, Sample::serverMs)),
                Stats.median(values(ok, Sample::overheadMs)),
                mean(values(ok, Sample::requestBytes)),
                mean(values(ok, Sample::replyBytes)),
                firstError);
    }

    public boolean isFloor() {
        return FLOOR.equals(transport);
    }

    /** This cell's throughput as a fraction of the floor's at the same size and concurrency. */
    public double ratioTo(CellResult floor) {
        return floor == null || floor.throughput() == 0 ? Double.NaN : throughput / floor.throughput();
    }

    private static double[] values(List<Sample> samples, ToDoubleFunction<Sample> field) {
        return samples.stream().mapToDouble(field).toArray();
    }

    private static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElseThrow();
    }
}

package inferbench.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One cell of the results table: one transport (or the floor) with one frame set at one frame
 * size and one concurrency, reduced to the figures the report shows.
 *
 * <p>Only correct answers count: latency figures are over them alone, and throughput is them
 * over the time all requests took, so failures and wrong answers can only lower it.
 *
 * @param transport    the transport's name, or {@link #FLOOR}
 * @param set          the frame set's name
 * @param threads      threads that sent: the concurrency, or for the floor min(concurrency, workers)
 * @param errors       requests that got no answer, or a refusal
 * @param wrong        requests answered differently from the in-process pipeline
 * @param endToEnd     client-side latency percentiles, ms
 * @param serverP50    median of the latency the server reported, ms
 * @param overheadP50  median over requests of (end-to-end minus server-reported), ms
 * @param requestBytes mean body bytes sent per request (0 for the floor: nothing is sent)
 * @param replyBytes   mean body bytes received per reply
 * @param firstError   the first failure's message, or "" when nothing failed
 * @param firstWrong   the first wrong answer, or "" when every answer was right
 * @param endToEndMean mean client-side latency of the right answers, ms
 * @param server       the cell as the server's own metrics saw it, or {@link ServerTime#NONE}
 */
public record CellResult(String transport, String set, FrameSize size, int concurrency, int threads, int requests,
                         int errors, int wrong, double seconds, double throughput, Stats endToEnd, double serverP50,
                         double overheadP50, double requestBytes, double replyBytes, String firstError,
                         String firstWrong, double endToEndMean, ServerTime server) {

    public static final String FLOOR = "floor (in-process)";

    public static CellResult of(String transport, Frames frames, int concurrency, int threads, LoadRunner.Run run) {
        return of(transport, frames.set(), frames.size(), concurrency, threads, run);
    }

    public static CellResult of(String transport, String set, FrameSize size, int concurrency, int threads,
                                LoadRunner.Run run) {
        List<Sample> samples = run.samples();
        List<Sample> correct = samples.stream().filter(Sample::correct).toList();
        return new CellResult(transport, set, size, concurrency, threads, samples.size(),
                (int) samples.stream().filter(Sample::isFailed).count(),
                (int) samples.stream().filter(Sample::isWrong).count(),
                run.elapsedNanos() / 1e9,
                Stats.throughput(correct.size(), run.elapsedNanos()),
                Stats.of(values(correct, Sample::endToEndMs)),
                Stats.median(values(correct, Sample::serverMs)),
                Stats.median(values(correct, Sample::overheadMs)),
                mean(values(correct, Sample::requestBytes)),
                mean(values(correct, Sample::replyBytes)),
                samples.stream().filter(Sample::isFailed).map(Sample::error).findFirst().orElse(""),
                samples.stream().filter(Sample::isWrong).map(Sample::wrong).findFirst().orElse(""),
                mean(values(correct, Sample::endToEndMs)), ServerTime.NONE);
    }

    /** This cell with the server's own account of it. */
    public CellResult withServer(ServerTime time) {
        return new CellResult(transport, set, size, concurrency, threads, requests, errors, wrong, seconds, throughput,
                endToEnd, serverP50, overheadP50, requestBytes, replyBytes, firstError, firstWrong, endToEndMean, time);
    }

    public boolean isFloor() {
        return FLOOR.equals(transport);
    }

    /** Every request answered, and rightly: the only kind of cell that can meet a target. */
    public boolean clean() {
        return errors == 0 && wrong == 0;
    }

    /** Same frames, same size. */
    public boolean sameFrames(CellResult other) {
        return set.equals(other.set) && size.equals(other.size);
    }

    /** This cell's throughput as a fraction of the floor's at the same frames and concurrency. */
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

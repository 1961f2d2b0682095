package inferbench.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What a new replica costs: per transport, a freshly started server of its kind and a new
 * client, one call at a time from the moment health turns OK, each call's latency and overhead
 * kept, then summed up in blocks that double (call 1, 2, 3-4, 5-8, ...), so the first calls
 * show one by one and the later ones as the JIT settles.
 *
 * <p>It runs after the measured cells: the benchmark's own JVM is warm by then, so the curve is
 * the server's (and the new connection's), not the client's.
 */
final class ColdStart {
    /** Calls {@code first} to {@code last} (from 1), over the correct answers among them. */
    record Block(int first, int last, double endToEndP50, double overheadP50) {
        String label() {
            return first == last ? Integer.toString(first) : first + "-" + last;
        }
    }

    /**
     * @param ready     launch to health OK
     * @param firstCall the first call's end-to-end time, ms
     * @param firstServerMs what the server reported for it
     * @param errors    calls that failed or were answered wrongly
     */
    record Result(String transport, Duration ready, double firstCall, double firstServerMs, List<Block> blocks,
                  int errors) {
    }

    private ColdStart() {
    }

    /** Every transport in turn, each on a fresh server of its own. */
    static List<Result> runAll(List<BenchTransport> transports, BenchOptions options, Path work, Frames frames,
                               PrintStream progress) throws Exception {
        List<Result> results = new ArrayList<>();
        for (BenchTransport t : transports) {
            Result r = run(t, options, work, frames, options.coldCalls());
            Block last = r.blocks().get(r.blocks().size() - 1);
            progress.printf(Locale.ROOT, "%-18s cold start: ready %.2f s after launch, first call %.1f ms (server"
                            + " %.1f), calls %s: overhead p50 %.2f ms%n", t.label, r.ready().toNanos() / 1e9,
                    r.firstCall(), r.firstServerMs(), last.label(), last.overheadP50());
            results.add(r);
        }
        return results;
    }

    static Result run(BenchTransport kind, BenchOptions options, Path work, Frames frames, int calls)
            throws Exception {
        String name = kind.label + " cold start";
        try (Servers fresh = Servers.startOne(kind.server, name, options, work);
             TransportSender sender = new TransportSender(kind.open(fresh), frames, options.save())) {
            List<Sample> samples = new ArrayList<>(calls);
            for (int call = 0; call < calls; call++) {
                samples.add(LoadRunner.timed(sender, call));
            }
            return new Result(kind.label, fresh.startup().get(name), samples.get(0).endToEndMs(),
                    samples.get(0).serverMs(), blocks(samples),
                    (int) samples.stream().filter(s -> !s.correct()).count());
        }
    }

    /** Blocks of calls 1, 2, 3-4, 5-8, ...: each as long as all before it; the last may be shorter. */
    static List<Block> blocks(List<Sample> samples) {
        List<Block> blocks = new ArrayList<>();
        for (int first = 1; first <= samples.size(); first = first == 1 ? 2 : first * 2 - 1) {
            int last = Math.min(samples.size(), first == 1 ? 1 : 2 * first - 2);
            List<Sample> block = samples.subList(first - 1, last).stream().filter(Sample::correct).toList();
            blocks.add(new Block(first, last, Stats.median(block.stream().mapToDouble(Sample::endToEndMs).toArray()),
                    Stats.median(block.stream().mapToDouble(Sample::overheadMs).toArray())));
        }
        return blocks;
    }

    /**
     * Two tables, end-to-end and overhead p50 per block of calls, with the warm figure from the
     * measured 1-in-flight cell beside them.
     *
     * @param warm per transport, its warm 1-in-flight cell with the same frames, if measured
     */
    static String markdown(List<Result> results, Map<String, CellResult> warm) {
        StringBuilder md = new StringBuilder("| transport | ready after launch | first call ms (server ms) |"
                + " calls not answered right |\n| --- | ---: | ---: | ---: |\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f s | %.1f (%.1f) | %d |%n", r.transport(),
                    r.ready().toNanos() / 1e9, r.firstCall(), r.firstServerMs(), r.errors()));
        }
        md.append('\n').append(table("end-to-end p50 ms", results, Block::endToEndP50, warm, c -> c.endToEnd().p50()));
        md.append('\n').append(table("overhead p50 ms", results, Block::overheadP50, warm, CellResult::overheadP50));
        return md.toString();
    }

    private static String table(String what, List<Result> results, Function<Block, Double> figure,
                                Map<String, CellResult> warm, Function<CellResult, Double> warmFigure) {
        List<Block> longest = results.stream().map(Result::blocks).max((a, b) -> a.size() - b.size()).orElseThrow();
        StringBuilder md = new StringBuilder("| " + what + ", calls | ");
        longest.forEach(b -> md.append(b.label()).append(" | "));
        md.append("warm (1 in flight) |\n| --- |").append(" ---: |".repeat(longest.size() + 1)).append('\n');
        for (Result r : results) {
            md.append("| ").append(r.transport()).append(" |");
            for (int i = 0; i < longest.size(); i++) {
                md.append(' ').append(i < r.blocks().size() ? fixed(figure.apply(r.blocks().get(i))) : "").append(" |");
            }
            CellResult cell = warm.get(r.transport());
            md.append(' ').append(cell == null ? "" : fixed(warmFigure.apply(cell))).append(" |\n");
        }
        return md.toString();
    }

    private static String fixed(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, value < 10 ? "%.2f" : "%.1f", value);
    }
}

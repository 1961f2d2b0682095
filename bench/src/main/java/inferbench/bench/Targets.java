package inferbench.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The project's performance targets, checked against a run's own figures so the report says
 * plainly which were met: the original Python servers' results on the reference 2-core machine
 * (1280x720 q95 frames, no saving) and the targets of the benchmark issue.
 *
 * <p>Only the cells a target names are checked; a run without them (another size, other
 * concurrency levels) simply lists fewer checks. The targets hold for the servers of this
 * project with the default frames, so they are checked only for servers the benchmark started,
 * on the default frame set; and a cell with an error or a wrong answer meets none of them.
 */
final class Targets {
    private static final String REST = BenchTransport.REST_MULTIPART.label;
    private static final String GRPC = BenchTransport.GRPC_UNARY.label;

    /** One target: what was measured, what was needed, and whether it was met. */
    record Check(String target, String measured, boolean met) {
    }

    private Targets() {
    }

    static List<Check> check(RunSetup setup, List<CellResult> cells) {
        if (!setup.serversStarted() || setup.options().save()) {
            return List.of();
        }
        int workers = setup.options().workers();
        Map<String, Duration> startup = setup.startup();
        List<Check> checks = new ArrayList<>();
        List<CellResult> webcam = cells.stream().filter(c -> c.set().equals(FrameSets.DEFAULT)
                && c.size().equals(FrameSize.WEBCAM)).toList();
        atMost(checks, webcam, REST, 1, "end-to-end p50 at 1 in flight no worse than the original REST (41.9 ms)",
                c -> c.endToEnd().p50(), 41.9, "%.1f ms");
        atMost(checks, webcam, GRPC, 1, "end-to-end p50 at 1 in flight no worse than the original gRPC (39.7 ms)",
                c -> c.endToEnd().p50(), 39.7, "%.1f ms");
        atLeast(checks, webcam, REST, 4, "at 4 in flight, 1.5 x the original REST (25.8 req/s)", 1.5 * 25.8);
        atLeast(checks, webcam, GRPC, 4, "at 4 in flight, 1.2 x the original gRPC (41.8 req/s)", 1.2 * 41.8);
        for (String transport : List.of(REST, GRPC)) {
            atMost(checks, webcam, transport, 1, "transport overhead p50 at 1 in flight at most 1.0 ms",
                    CellResult::overheadP50, 1.0, "%.2f ms");
        }
        int saturation = 2 * workers;
        for (CellResult cell : webcam) {
            CellResult floor = Report.floorOf(webcam, cell);
            if (!cell.isFloor() && cell.concurrency() == saturation && floor != null) {
                double ratio = cell.ratioTo(floor);
                checks.add(new Check(cell.transport() + ": at " + saturation + " in flight (2 x workers), at least"
                        + " 90% of the floor's throughput", String.format(Locale.ROOT, "%.1f%% (%.1f of %.1f req/s)",
                        100 * ratio, cell.throughput(), floor.throughput()) + flaws(cell),
                        ratio >= 0.9 && cell.clean()));
            }
        }
        startup.forEach((server, time) -> checks.add(new Check(server + " server healthy within 3 s of launch",
                String.format(Locale.ROOT, "%.2f s", time.toNanos() / 1e9), time.compareTo(Duration.ofSeconds(3)) <= 0)));
        return checks;
    }

    static String markdown(List<Check> checks) {
        StringBuilder md = new StringBuilder("| target | measured | met |\n| --- | ---: | :---: |\n");
        for (Check c : checks) {
            md.append("| ").append(c.target()).append(" | ").append(c.measured()).append(" | ")
                    .append(c.met() ? "yes" : "**no**").append(" |\n");
        }
        return md.toString();
    }

    private static void atMost(List<Check> checks, List<CellResult> cells, String transport, int concurrency,
                               String target, ToDoubleFunction<CellResult> figure, double limit,
                               String format) {
        find(cells, transport, concurrency).ifPresent(cell -> checks.add(new Check(transport + ": " + target,
                String.format(Locale.ROOT, format, figure.applyAsDouble(cell)) + flaws(cell),
                figure.applyAsDouble(cell) <= limit && cell.clean())));
    }

    private static void atLeast(List<Check> checks, List<CellResult> cells, String transport, int concurrency,
                                String target, double needed) {
        find(cells, transport, concurrency).ifPresent(cell -> checks.add(new Check(transport + ": " + target,
                String.format(Locale.ROOT, "%.1f req/s (need %.1f)", cell.throughput(), needed) + flaws(cell),
                cell.throughput() >= needed && cell.clean())));
    }

    /** What keeps a cell from meeting any target, or "". */
    private static String flaws(CellResult cell) {
        return cell.clean() ? "" : String.format(Locale.ROOT, "; %d errors, %d wrong answers", cell.errors(),
                cell.wrong());
    }

    private static Optional<CellResult> find(List<CellResult> cells, String transport, int concurrency) {
        return cells.stream().filter(c -> c.transport().equals(transport) && c.concurrency() == concurrency).findFirst();
    }
}

package inferbench.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code make bench}: measures REST and gRPC against each other and against the in-process
 * floor, and writes the table, CSV and charts. See {@link BenchOptions#USAGE} for the options.
 *
 * <p>Order of work: servers start first, on an idle machine, so their startup time is fair;
 * then the frames are encoded and the floor measured; then every transport's warm-up; then
 * each transport, cell by cell.
 */
public final class Benchmark {
    /**
     * Warm-up before the floor's first cell. The floor runs no network code, only the pipeline
     * (native OpenCV and a little Java), which is warm after a few hundred frames.
     */
    static final int FLOOR_WARMUP = 200;

    private final BenchOptions options;
    private final String command;
    private final PrintStream progress = System.err;

    private Benchmark(BenchOptions options, String command) {
        this.options = options;
        this.command = command;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen, display or not
        if (Arrays.asList(args).contains("--help")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmark: " + e.getMessage() + "\n\n" + BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(new Benchmark(options, command(args)).run() ? 0 : 1);
        } catch (Exception e) {
            System.err.println("benchmark failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs everything; false when a request failed or (with --quick) a result file is missing. */
    boolean run() throws Exception {
        Instant started = Instant.now();
        // Ctrl-C must not leave server JVMs behind, even while they are still starting.
        Thread stopServers = new Thread(() -> ProcessHandle.current().children().forEach(ProcessHandle::destroy),
                "bench-stop-servers");
        Runtime.getRuntime().addShutdownHook(stopServers);
        Path work = Files.createTempDirectory("inferbench-bench-");
        try (Servers servers = options.startsServers() ? Servers.start(options, work) : Servers.running(options)) {
            servers.startup().forEach((name, time) -> progress.printf(Locale.ROOT,
                    "%s server healthy %.2f s after launch%n", name, time.toNanos() / 1e9));
            Floor floor = Floor.of(options.serverArgs(), options.workers(), work.resolve("floor-storage"), options.save());
            List<Frames> frames = options.sizes().stream().map(size -> Frames.of(size, floor::status)).toList();
            RunSetup setup = new RunSetup(command, started, Machine.current(), options, servers.descriptions(),
                    servers.startup(), frames);
            List<BenchTransport> transports = BenchTransport.select(options.transports()).stream()
                    .filter(t -> servers.reaches(t.server)).toList();
            return options.soak() > 0 ? soak(setup, servers, transports, frames.get(0))
                    : matrix(setup, servers, transports, floor, frames);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopServers);
            deleteTree(work);
        }
    }

    private boolean matrix(RunSetup setup, Servers servers, List<BenchTransport> transports, Floor floor,
                           List<Frames> frames) throws Exception {
        List<CellResult> cells = new ArrayList<>();
        // Most in flight first: the 1-in-flight cell, where a transport's own CPU time shows most,
        // then runs last, after every other cell's requests have warmed the JIT on both ends.
        List<Integer> levels = options.concurrency().stream().sorted(Comparator.reverseOrder()).toList();
        warmUp(CellResult.FLOOR, floor.senders(frames.get(0)), Math.min(options.firstWarmup(), FLOOR_WARMUP));
        for (Frames f : frames) {
            for (int c : levels) {
                cells.add(measure(CellResult.FLOOR, f, c, floor.threads(c), floor.senders(f)));
            }
        }
        // Every transport's warm-up first, then every cell. The JIT goes on compiling for a while
        // after a warm-up: it then does so during the next transport's warm-up instead of during
        // this transport's first cells, where it took CPU from the server being measured.
        Frames warmUpFrames = frames.get(0).warmUp(floor::status);
        for (BenchTransport t : transports) {
            warmUp(t.label, TransportSender.factory(t, servers, warmUpFrames, options.save()), options.firstWarmup());
        }
        for (Frames f : frames) {
            for (BenchTransport t : transports) {
                for (int c : levels) {
                    cells.add(measure(t.label, f, c, c, TransportSender.factory(t, servers, f, options.save())));
                }
            }
        }
        Path out = options.out();
        Map<FrameSize, Charts.Files> charts = Charts.write(cells, out, setup.machine().cores() + " cores, "
                + setup.machine().cpu() + "; " + options.perCell() + " per cell, " + options.workers()
                + " server workers");
        Path md = ResultFiles.write(out.resolve("results.md"),
                Report.markdown(setup, cells, charts).getBytes(StandardCharsets.UTF_8));
        Path csv = ResultFiles.write(out.resolve("results.csv"), Report.csv(cells).getBytes(StandardCharsets.UTF_8));
        for (FrameSize size : Report.sizes(cells)) {
            System.out.println("\n" + size + " frames\n\n" + Report.table(cells, size));
        }
        List<Path> written = Stream.concat(Stream.of(md, csv),
                charts.values().stream().flatMap(f -> Stream.of(f.latency(), f.throughput()))).toList();
        progress.println("written: " + written.stream().map(Path::toString).collect(Collectors.joining(", ")));
        return verdict(cells, written);
    }

    private boolean soak(RunSetup setup, Servers servers, List<BenchTransport> transports, Frames frames)
            throws Exception {
        List<Soak.Result> results = new ArrayList<>();
        for (BenchTransport.Server server : BenchTransport.Server.values()) {
            List<BenchTransport> ofServer = transports.stream().filter(t -> t.server == server).toList();
            if (!ofServer.isEmpty()) {
                String name = server == BenchTransport.Server.REST ? "REST" : "gRPC";
                results.add(Soak.run(name, servers.process(server), ofServer, servers, frames, options, progress));
            }
        }
        String md = Soak.markdown(setup, results);
        ResultFiles.write(options.out().resolve("soak.md"), md.getBytes(StandardCharsets.UTF_8));
        System.out.println(md);
        return results.stream().allMatch(r -> r.errors() == 0);
    }

    /**
     * Uncounted requests before the first cell, workers in flight: the JIT sees every server
     * thread's path, and it goes twice as fast.
     */
    private void warmUp(String label, Sender.Factory senders, int requests) throws InterruptedException {
        if (requests > 0) {
            long start = System.nanoTime();
            LoadRunner.run(senders, options.workers(), 0, requests);
            progress.printf(Locale.ROOT, "%-18s warmed up: %d requests in %.0f s%n", label, requests,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private CellResult measure(String transport, Frames frames, int concurrency, int threads,
                               Sender.Factory senders) throws InterruptedException {
        LoadRunner.Run run = options.seconds() > 0
                ? LoadRunner.runFor(senders, threads, options.warmup(), Duration.ofSeconds(options.seconds()))
                : LoadRunner.run(senders, threads, options.warmup(), options.requests());
        CellResult cell = CellResult.of(transport, frames.size(), concurrency, threads, run);
        progress.printf(Locale.ROOT, "%-18s %s %2d in flight: %6.1f req/s, p50 %6.1f ms, overhead p50 %5.2f ms,"
                        + " %d errors%s%n", transport, frames.size(), concurrency, cell.throughput(),
                cell.endToEnd().p50(), cell.overheadP50(), cell.errors(),
                cell.firstError().isEmpty() ? "" : " (first: " + cell.firstError() + ")");
        return cell;
    }

    /** Every request must have succeeded; with --quick, every result file must exist too. */
    private boolean verdict(List<CellResult> cells, List<Path> written) throws IOException {
        int errors = cells.stream().mapToInt(CellResult::errors).sum();
        int requests = cells.stream().mapToInt(CellResult::requests).sum();
        List<Path> missing = options.quick() ? ResultFiles.missing(written) : List.of();
        if (errors > 0 || !missing.isEmpty()) {
            progress.println("benchmark FAILED: " + errors + " of " + requests + " requests failed"
                    + (missing.isEmpty() ? "" : "; missing or empty: " + missing));
            return false;
        }
        progress.println((options.quick() ? "quick check passed: " : "done: ") + requests
                + " requests, none failed; table, CSV and charts written to " + options.out());
        return true;
    }

    /** The command that reproduces this run, as the report prints it. */
    static String command(String[] args) {
        String quoted = Arrays.stream(args).map(a -> a.matches("[A-Za-z0-9_.,:/=+-]+") ? a : "'" + a + "'")
                .collect(Collectors.joining(" "));
        return (args.length == 0 ? "make bench" : "make bench ARGS=\"" + quoted + "\"")
                + "\n# runs: java -jar bench/target/bench.jar " + quoted;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package inferbench.bench;

import inferbench.samples.ParityFrames;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code make bench}: measures REST and gRPC against each other and against the in-process
 * floor, and writes the table, CSV and charts. See {@link BenchOptions#USAGE} for the options.
 *
 * <p>Order of work: servers start first, on an idle machine, so their startup time is fair;
 * then the frames are encoded, their answers and in-process times taken, and each transport
 * probed once; then the measured cells ({@link Cells}); then the bytes on the wire, through a
 * relay; then every transport over emulated links ({@link LinkPass}); then the cold starts, each
 * on a server of its own; then the TLS pass ({@link TlsPass}), on servers of its own.
 */
public final class Benchmark {
    private final BenchOptions options;
    private final String command;
    private final PrintStream progress = System.err;

    Benchmark(BenchOptions options, String command) {
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

    /** Runs everything; false when a request failed or was answered wrongly, or a result file is missing. */
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
            Floor floor = Floor.of(options.serverArgs(), options.workers(), work.resolve("floor-storage"), options.save(),
                    options.expectServers());
            List<Frames> frames = frames(floor);
            List<TransportProbe.Result> probes = BenchTransport.select(options.transports()).stream()
                    .filter(t -> servers.reaches(t.server))
                    .map(t -> TransportProbe.probe(t, servers, frames.get(0), options.save())).toList();
            probes.forEach(p -> progress.printf("%-18s %s%n", p.transport().label, switch (p.outcome()) {
                case OFFERED -> "offered" + (p.detail().isEmpty() ? "" : "; the probe's answer was wrong: " + p.detail());
                case NOT_OFFERED -> "not offered: " + p.detail();
                case FAILED -> "FAILED at the probe: " + p.detail();
            }));
            RunSetup setup = new RunSetup(command, started, Machine.current(), options, servers.descriptions(),
                    servers.startup(), servers.started(), floor.decode(), frames, probes);
            List<BenchTransport> transports = TransportProbe.offered(probes);
            boolean probesPassed = probesPassed(probes, servers.started());
            if (options.soak() > 0) {
                return soak(setup, servers, transports, frames.get(0)) && probesPassed;
            }
            Results results = measure(servers, transports, floor, frames, work);
            return write(setup, results) && probesPassed;
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopServers);
            deleteTree(work);
        }
    }

    /**
     * Every frame set at every size, with the answer the original's path gives each frame; then, after
     * the floor's warm-up, each frame's in-process time.
     */
    private List<Frames> frames(Floor floor) throws InterruptedException {
        List<Frames> untimed = new ArrayList<>();
        for (String set : options.frames()) {
            for (FrameSize size : options.sizes()) {
                untimed.add(Frames.of(set, size, floor::answer));
            }
        }
        new Cells(options, progress).warmUp(CellResult.FLOOR, floor.senders(untimed.get(0)),
                Math.min(options.firstWarmup(), Cells.FLOOR_WARMUP));
        List<Frames> timed = untimed.stream().map(f -> f.timed(floor::inProcessMs)).toList();
        for (Frames f : timed) {
            progress.println("frames " + f.label() + ": " + f.frames().stream().map(frame -> String.format(Locale.ROOT,
                    "%s %,d B %s %.1f ms", frame.name(), frame.jpeg().length, frame.expected().describe(),
                    frame.inProcessMs())).collect(Collectors.joining(", ")));
        }
        return timed;
    }

    private Results measure(Servers servers, List<BenchTransport> transports, Floor floor, List<Frames> frames,
                            Path work) throws Exception {
        List<CellResult> cells = new Cells(options, progress).measure(servers, transports, floor, frames);
        List<WireBytes.Result> wire = options.wireCalls() == 0 ? List.of()
                : WireBytes.measureAll(transports, servers, frames, options, progress);
        List<LinkCell> links = new LinkPass(options, progress).run(transports, servers, floor::answer);
        List<CentreSquareParity.Row> centreSquare = links.stream().noneMatch(c -> c.sent() == Sent.CENTRE)
                ? List.of() : CentreSquareParity.measure(ParityFrames.all(), floor::answer);
        // A cold start launches a server JVM: --quick checks one transport of each server.
        List<BenchTransport> cold = !options.quick() ? transports : transports.stream()
                .filter(t -> transports.stream().filter(o -> o.server == t.server).findFirst().orElseThrow() == t)
                .toList();
        List<ColdStart.Result> coldStarts = options.coldCalls() == 0 || !servers.started() ? List.of()
                : ColdStart.runAll(cold, options, work, frames.get(0), progress);
        List<TlsPass.Result> tls = options.tlsCalls() == 0 || !servers.started() ? List.of()
                : new TlsPass(options, progress).run(transports, frames.get(0), frames.get(0).warmUp(floor::answer),
                        work);
        return new Results(cells, wire, links, centreSquare, coldStarts, tls);
    }

    private boolean write(RunSetup setup, Results results) throws IOException {
        Path out = options.out();
        List<Path> written = new ArrayList<>(Charts.write(setup, results, out));
        written.add(0, ResultFiles.write(out.resolve("results.md"),
                Report.markdown(setup, results).getBytes(StandardCharsets.UTF_8)));
        written.add(1, ResultFiles.write(out.resolve("results.csv"),
                Report.csv(results.cells()).getBytes(StandardCharsets.UTF_8)));
        if (!results.links().isEmpty()) {
            written.add(2, ResultFiles.write(out.resolve(LinkReport.CSV),
                    LinkReport.csv(results.links()).getBytes(StandardCharsets.UTF_8)));
        }
        System.out.println("\n" + Headline.markdown(setup, results));
        if (!results.links().isEmpty()) {
            System.out.println(LinkReport.markdown(results.links(), options.links(), options.frames().get(0))
                    + (results.centreSquare().isEmpty() ? "" : CentreSquareParity.markdown(results.centreSquare())));
        }
        if (!results.tls().isEmpty()) {
            System.out.println(TlsReport.headline(results.tls()) + "\n");
        }
        progress.println("written: " + written.stream().map(Path::toString).collect(Collectors.joining(", ")));
        return verdict(results, written);
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

    private boolean probesPassed(List<TransportProbe.Result> probes, boolean serversStarted) {
        List<String> failures = TransportProbe.failures(probes, serversStarted);
        if (!failures.isEmpty()) {
            progress.println("benchmark FAILED at the probes: " + String.join("; ", failures));
        }
        return failures.isEmpty();
    }

    /** Every request must have been answered, and rightly; with --quick, every result file must exist too. */
    private boolean verdict(Results results, List<Path> written) throws IOException {
        List<CellResult> cells = results.cells();
        int errors = cells.stream().mapToInt(CellResult::errors).sum();
        int wrong = cells.stream().mapToInt(CellResult::wrong).sum();
        int requests = cells.stream().mapToInt(CellResult::requests).sum();
        List<CellResult> overLinks = results.links().stream().map(LinkCell::cell).toList();
        errors += overLinks.stream().mapToInt(CellResult::errors).sum();
        wrong += overLinks.stream().mapToInt(CellResult::wrong).sum();
        requests += overLinks.stream().mapToInt(CellResult::requests).sum();
        int others = results.wire().stream().mapToInt(WireBytes.Result::errors).sum()
                + results.coldStarts().stream().mapToInt(ColdStart.Result::errors).sum()
                + (int) results.links().stream().filter(LinkCell::firstCallFailed).count()
                + results.tls().stream().mapToInt(TlsPass.Result::errors).sum();
        List<Path> missing = options.quick() ? ResultFiles.missing(written) : List.of();
        List<Targets.Check> tooManyRoundTrips = !options.quick() ? List.of()
                : RoundTrips.check(results.links()).stream().filter(c -> !c.met()).toList();
        if (errors > 0 || wrong > 0 || others > 0 || !missing.isEmpty() || !tooManyRoundTrips.isEmpty()) {
            progress.println("benchmark FAILED: of " + requests + " measured requests " + errors + " failed and "
                    + wrong + " were answered wrongly" + (others == 0 ? "" : "; " + others
                    + " calls of the wire-byte, link first-call, cold-start and TLS passes were not answered right")
                    + (missing.isEmpty() ? "" : "; missing or empty: " + missing)
                    + tooManyRoundTrips.stream().map(c -> "; " + c.target() + ": " + c.measured())
                    .collect(Collectors.joining()));
            return false;
        }
        progress.println((options.quick() ? "quick check passed: " : "done: ") + requests
                + " measured requests, every one answered rightly; results written to " + options.out());
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

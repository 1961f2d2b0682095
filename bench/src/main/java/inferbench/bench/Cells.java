package inferbench.bench;

import inferbench.scrape.MetricsText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The measured cells: the floor, then every transport, with every frame set at every size and
 * in-flight level.
 */
final class Cells {
    /**
     * Warm-up before the floor's first cell. The floor runs no network code, only the pipeline
     * (native OpenCV and a little Java), which is warm after a few hundred frames.
     */
    static final int FLOOR_WARMUP = 200;

    private final BenchOptions options;
    private final PrintStream progress;
    private ServerTimes serverTimes;

    Cells(BenchOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** @param frames every frame set at every size, in --frames order */
    List<CellResult> measure(Servers servers, List<BenchTransport> transports, Floor floor, List<Frames> frames)
            throws InterruptedException {
        serverTimes = new ServerTimes(servers);
        List<CellResult> cells = new ArrayList<>();
        for (Frames f : frames) {
            for (int c : levels(f)) {
                cells.add(measure(CellResult.FLOOR, f, c, floor.threads(c), floor.senders(f)));
            }
        }
        // Every transport's warm-up first, then every cell. The JIT goes on compiling for a while
        // after a warm-up: it then does so during the next transport's warm-up instead of during
        // this transport's first cells, where it took CPU from the server being measured.
        Frames warmUpFrames = frames.get(0).warmUp(floor::answer);
        for (BenchTransport t : transports) {
            warmUp(t.label, TransportSender.factory(t, servers, warmUpFrames, options.save()), options.firstWarmup());
        }
        for (Frames f : frames) {
            for (BenchTransport t : transports) {
                for (int c : levels(f)) {
                    cells.add(measure(t, f, c, servers));
                }
            }
        }
        return cells;
    }

    /**
     * Most in flight first: the 1-in-flight cell, where a transport's own CPU time shows most,
     * then runs last, after every other cell's requests have warmed the JIT on both ends.
     */
    private List<Integer> levels(Frames frames) {
        return options.concurrencyOfSet(setIndex(frames)).stream().sorted(Comparator.reverseOrder()).toList();
    }

    private int setIndex(Frames frames) {
        return options.frames().indexOf(frames.set());
    }

    /**
     * Uncounted requests before the first cell, workers in flight: the JIT sees every server
     * thread's path.
     */
    void warmUp(String label, Sender.Factory senders, int requests) throws InterruptedException {
        if (requests > 0) {
            long start = System.nanoTime();
            LoadRunner.run(senders, options.workers(), 0, requests);
            progress.printf(Locale.ROOT, "%-18s warmed up: %d requests in %.0f s%n", label, requests,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** A transport's cell, with the server's own account of it read from its metrics before and after. */
    private CellResult measure(BenchTransport transport, Frames frames, int concurrency, Servers servers)
            throws InterruptedException {
        AtomicReference<MetricsText> before = new AtomicReference<>();
        CellResult cell = measure(transport.label, frames, concurrency, concurrency,
                TransportSender.factory(transport, servers, frames, options.save()),
                () -> before.set(serverTimes.scrape(transport.server)));
        MetricsText after = before.get() == null ? null : serverTimes.scrape(transport.server);
        ServerTime server = ServerTime.between(before.get(), after, ServerTimes.protocol(transport.server));
        if (server.known()) {
            progress.printf(Locale.ROOT, "%-18s   the server counted %.0f: %.2f ms each, of which queue %.2f ms,"
                    + " detection %.2f ms%n", "", server.requests(), server.requestMs(), server.queueMs(),
                    server.detectionMs());
        }
        return cell.withServer(server);
    }

    private CellResult measure(String transport, Frames frames, int concurrency, int threads,
                               Sender.Factory senders) throws InterruptedException {
        return measure(transport, frames, concurrency, threads, senders, () -> { });
    }

    /** @param counting runs after the cell's warm-up, before its first measured request */
    private CellResult measure(String transport, Frames frames, int concurrency, int threads,
                               Sender.Factory senders, Runnable counting) throws InterruptedException {
        LoadRunner.Run run = options.seconds() > 0
                ? LoadRunner.runFor(senders, threads, options.warmup(), Duration.ofSeconds(options.seconds()), counting)
                : LoadRunner.run(senders, threads, options.warmup(), options.requestsOfSet(setIndex(frames)), counting);
        CellResult cell = CellResult.of(transport, frames, concurrency, threads, run);
        progress.printf(Locale.ROOT, "%-18s %s %2d in flight: %6.1f req/s, p50 %6.1f ms, overhead p50 %5.2f ms,"
                        + " %d errors, %d wrong%s%s%n", transport, frames.label(), concurrency, cell.throughput(),
                cell.endToEnd().p50(), cell.overheadP50(), cell.errors(), cell.wrong(),
                cell.firstError().isEmpty() ? "" : " (first error: " + cell.firstError() + ")",
                cell.firstWrong().isEmpty() ? "" : " (first wrong: " + cell.firstWrong() + ")");
        return cell;
    }
}

package inferbench.bench;

import inferbench.client.transport.Transport;
import inferbench.link.LinkProfile;
import inferbench.link.LinkedServers;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every transport through each emulated link: both servers behind a relay of their own with the
 * link's profile, the first frame set at each link size, whole or centre square, at each number
 * in flight; and per cell at 1 in flight, the first call of a new client through the link.
 *
 * <p>A slow link makes each request slow, so a cell measures as many requests as its expected
 * time allows (see {@link #requests}) rather than a fixed count.
 */
final class LinkPass {
    /** About this long per cell at 1 in flight, between {@link #MIN_REQUESTS} and {@link #MAX_REQUESTS} requests. */
    static final double CELL_MS = 1000;
    static final int MIN_REQUESTS = 5;
    static final int MAX_REQUESTS = 20;
    /** What the estimate allows for the server's own time and the client's. */
    private static final double SERVER_MS = 30;

    private final BenchOptions options;
    private final PrintStream progress;

    LinkPass(BenchOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    List<LinkCell> run(List<BenchTransport> transports, Servers servers, Function<byte[], Expected> answer)
            throws Exception {
        LinkOptions links = options.links();
        List<Integer> levels = links.concurrency().stream().sorted(Comparator.reverseOrder()).toList();
        List<LinkCell> cells = new ArrayList<>();
        for (LinkProfile link : links.profiles()) {
            progress.println("link " + link.describe());
            long start = System.nanoTime();
            try (LinkedServers linked = LinkedServers.start(link, servers.restUrl(), servers.grpcTarget())) {
                Servers through = Servers.at(linked.restUrl(), linked.grpcTarget(), servers.tls());
                for (FrameSize size : links.sizes()) {
                    for (Sent sent : links.sent()) {
                        Frames frames = Frames.of(options.frames().get(0), size, answer, sent);
                        int requests = links.requests() > 0 ? links.requests() : requests(link, frames);
                        for (BenchTransport t : transports) {
                            Sample first = firstCall(t, through, frames);
                            for (int c : levels) {
                                LoadRunner.Run run = LoadRunner.run(TransportSender.factory(t, through, frames,
                                        options.save()), c, c, requests);
                                LinkCell cell = LinkCell.of(link, sent, CellResult.of(t.label, frames, c, c, run),
                                        run.samples(), c == 1 ? first : null);
                                cells.add(cell);
                                report(cell);
                            }
                        }
                    }
                }
            }
            progress.printf(Locale.ROOT, "link %s measured in %.0f s%n", link.name(), (System.nanoTime() - start) / 1e9);
        }
        return cells;
    }

    /**
     * Enough requests for about {@link #CELL_MS} at 1 in flight: one round trip, the link's time
     * for the frame's bytes, and the server's; at least {@link #MIN_REQUESTS} for a median.
     */
    static int requests(LinkProfile link, Frames frames) {
        double bytes = frames.frames().stream().mapToInt(f -> f.jpeg().length).average().orElse(0);
        double callMs = link.rttMillis() + link.transmitMillis(bytes, 200) + SERVER_MS;
        return (int) Math.max(MIN_REQUESTS, Math.min(MAX_REQUESTS, Math.round(CELL_MS / callMs)));
    }

    /** A new client's first call, timed from its opening: it connects through the link, sends a frame. */
    private Sample firstCall(BenchTransport kind, Servers through, Frames frames) {
        Frames.Frame frame = frames.forTicket(0);
        Sender newClient = ticket -> {
            try (Transport transport = kind.open(through)) {
                return TransportSender.judged(frame, transport.send(frame.jpeg(), options.save()), options.save());
            }
        };
        return LoadRunner.timed(newClient, 0);
    }

    private void report(LinkCell c) {
        CellResult cell = c.cell();
        progress.printf(Locale.ROOT, "%-18s %s %s %s %2d in flight: %6.1f req/s, overhead p50 %6.1f ms%s%s,"
                        + " %d errors, %d wrong%s%n", cell.transport(), c.link().name(), cell.size(),
                c.sent().key, cell.concurrency(), cell.throughput(), cell.overheadP50(),
                Double.isNaN(c.roundTrips()) ? "" : String.format(Locale.ROOT, " (%.2f round trips, fewest %.2f)",
                        c.roundTrips(), c.fewestRoundTrips()),
                c.firstCall() == null ? "" : String.format(Locale.ROOT, ", first call %.0f ms", c.firstCallMs()),
                cell.errors(), cell.wrong(), cell.firstError().isEmpty() ? "" : " (first error: " + cell.firstError()
                        + ")");
    }
}

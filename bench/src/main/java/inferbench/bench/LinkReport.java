package inferbench.bench;

import inferbench.link.LinkProfile;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The report's section over emulated links, its CSV, and the chart's file name. */
final class LinkReport {
    static final String CHART = "link-overhead.png";
    static final String CSV = "links.csv";
    /** Below this, a round trip is shorter than the noise in the machine's own time: not worth counting in. */
    static final Duration MIN_RTT_SHOWN = Duration.ofMillis(10);

    private LinkReport() {
    }

    static String markdown(List<LinkCell> cells, LinkOptions options, String frameSet) {
        StringBuilder md = new StringBuilder("\n## Over emulated links\n\n")
                .append("Each transport again, with both servers behind a relay of their own that emulates the link")
                .append(" (`inferbench.link`: half the round-trip time each way, the link's rates shared by its")
                .append(" connections, bytes in order, the jitter; a new connection's connect costs a round trip;")
                .append(" packet loss and TCP's congestion control are not emulated). The ").append(frameSet)
                .append(" frames, ").append(options.sent().stream().map(s -> s.label).collect(Collectors.joining(" and ")))
                .append("; per cell as many requests as the column says (about 1 s at 1 in flight, ")
                .append(LinkPass.MIN_REQUESTS).append(" to ").append(LinkPass.MAX_REQUESTS)
                .append(", unless --link-requests), after one uncounted request per request in flight.")
                .append(" Overhead: end-to-end minus the server's own time, p50, at 1 in flight. Round trips: per")
                .append(" request its overhead, less the time the link's rates take for its body bytes, over the")
                .append(" round-trip time; the median (not shown for links under ").append(MIN_RTT_SHOWN.toMillis())
                .append(" ms, whose round trip is shorter than the noise in the machine's own time). First call: a")
                .append(" new client's first call, its connect included.\n");
        for (LinkProfile link : cells.stream().map(LinkCell::link).distinct().toList()) {
            md.append("\n### ").append(link.describe()).append("\n\n")
                    .append(table(cells.stream().filter(c -> c.link().equals(link)).toList(), options.concurrency()));
        }
        List<Targets.Check> checks = RoundTrips.check(cells);
        if (!checks.isEmpty()) {
            md.append("\n### One round trip per frame\n\nAt 1 in flight, with 1280x720 and 1920x1080 frames, on")
                    .append(" links of ").append(RoundTrips.MIN_RTT.toMillis()).append(" ms or more: the fewest round")
                    .append(" trips any request needed (a wait the protocol adds comes with every frame; a busy")
                    .append(" machine slows only some requests), and the median (`--quick` exits 1 when one is not")
                    .append(" met):\n\n").append(Targets.markdown(checks));
        }
        return md.append("\n![overhead per frame against the link](").append(CHART).append(")\n").toString();
    }

    /** One link's cells: a row per size, way of sending and transport, a req/s column per number in flight. */
    static String table(List<LinkCell> cells, List<Integer> concurrency) {
        List<Integer> levels = concurrency.stream().sorted().toList();
        StringBuilder md = new StringBuilder("| size | sent | transport | overhead p50 ms | round trips | ");
        levels.forEach(c -> md.append("req/s at ").append(c).append(" | "));
        md.append("first call ms | request B / reply B | requests per cell | errors / wrong |\n| --- | --- | --- |")
                .append(" ---: |".repeat(levels.size() + 6)).append('\n');
        List<LinkCell> lowest = cells.stream().filter(c -> c.cell().concurrency() == levels.get(0)).toList();
        for (LinkCell row : lowest) {
            List<LinkCell> same = cells.stream().filter(c -> c.sent() == row.sent()
                    && c.cell().sameFrames(row.cell()) && c.cell().transport().equals(row.cell().transport())).toList();
            CellResult cell = row.cell();
            md.append("| ").append(cell.size()).append(" | ").append(row.sent().label).append(" | ")
                    .append(cell.transport()).append(" | ").append(Report.fixed(cell.overheadP50(), 1)).append(" | ")
                    .append(row.link().rtt().compareTo(MIN_RTT_SHOWN) < 0 ? "" : Report.fixed(row.roundTrips(), 2))
                    .append(" | ");
            for (int level : levels) {
                md.append(same.stream().filter(c -> c.cell().concurrency() == level).findFirst()
                        .map(c -> Report.fixed(c.cell().throughput(), 1)).orElse("")).append(" | ");
            }
            md.append(Report.fixed(row.firstCallMs(), 0)).append(row.firstCallFailed() ? " (failed)" : "")
                    .append(" | ").append(String.format(Locale.ROOT, "%,.0f / %,.0f", cell.requestBytes(),
                            cell.replyBytes())).append(" | ").append(cell.requests()).append(" | ")
                    .append(same.stream().mapToInt(c -> c.cell().errors()).sum()).append(" / ")
                    .append(same.stream().mapToInt(c -> c.cell().wrong()).sum()).append(" |\n");
        }
        return md.toString();
    }

    static String csv(List<LinkCell> cells) {
        StringBuilder csv = new StringBuilder("link,rtt_ms,up_bits_per_s,down_bits_per_s,jitter_ms,sent,round_trips,"
                + "fewest_round_trips,first_call_ms," + Report.CSV_HEADER + "\n");
        for (LinkCell c : cells) {
            LinkProfile link = c.link();
            csv.append(String.join(",", Report.quoted(link.name()), Report.fixed(link.rttMillis(), 3),
                    Long.toString(link.upBits()), Long.toString(link.downBits()),
                    Report.fixed(link.jitter().toNanos() / 1e6, 3), c.sent().key, Report.fixed(c.roundTrips(), 3),
                    Report.fixed(c.fewestRoundTrips(), 3), Report.fixed(c.firstCallMs(), 3), Report.csvRow(c.cell(), List.of()))).append('\n');
        }
        return csv.toString();
    }

    /** The cells the chart draws: 1280x720 (or the first size), full frames if measured, the fewest in flight. */
    static List<LinkCell> chartCells(List<LinkCell> cells, LinkOptions options) {
        FrameSize size = options.sizes().contains(FrameSize.WEBCAM) ? FrameSize.WEBCAM : options.sizes().get(0);
        Sent sent = options.sent().get(0);
        int level = options.concurrency().stream().min(Comparator.naturalOrder()).orElse(1);
        return cells.stream().filter(c -> c.cell().size().equals(size) && c.sent() == sent
                && c.cell().concurrency() == level).toList();
    }
}

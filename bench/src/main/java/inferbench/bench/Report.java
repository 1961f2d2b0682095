package inferbench.bench;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The results as markdown (for people and the README) and as CSV (for anything else). */
final class Report {
    static final String CSV_HEADER = "size,transport,concurrency,threads,requests,errors,seconds,throughput_rps,"
            + "floor_ratio,e2e_p50_ms,e2e_p90_ms,e2e_p99_ms,e2e_max_ms,server_p50_ms,overhead_p50_ms,"
            + "request_bytes,reply_bytes,first_error";

    private Report() {
    }

    /** Title, command, machine and servers: what every result file starts with. */
    static String header(RunSetup setup, String title) {
        Machine m = setup.machine();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n")
                .append("Run on ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .format(setup.started().atOffset(ZoneOffset.UTC))).append(" with:\n\n")
                .append("```sh\n").append(setup.command()).append("\n```\n\n")
                .append("## Machine\n\n")
                .append("- CPU: ").append(m.cpu()).append(", ").append(m.cores()).append(" cores\n")
                .append("- Memory: ").append(m.memory()).append('\n')
                .append("- OS: ").append(m.os()).append('\n')
                .append("- JVM: ").append(m.jvm()).append("\n\n")
                .append("## Setup\n\n");
        setup.servers().forEach((name, where) -> {
            md.append("- ").append(name).append(" server: ").append(where);
            if (setup.startup().containsKey(name)) {
                md.append(String.format(Locale.ROOT, "; ready %.2f s after launch (health OK; target 3 s)",
                        setup.startup().get(name).toNanos() / 1e9));
            }
            md.append('\n');
        });
        for (Frames frames : setup.frames()) {
            md.append("- Frames ").append(frames.size()).append(": JPEG quality 95, ")
                    .append(frames.frames().stream().map(f -> f.name() + " " + String.format(Locale.ROOT,
                            "%,d", f.jpeg().length) + " B").collect(Collectors.joining(" and ")))
                    .append(", alternating, encoded before timing; ")
                    .append(setup.options().save() ? "saved" : "not saved").append(" by the server\n");
        }
        return md.toString();
    }

    static String markdown(RunSetup setup, List<CellResult> cells, Map<FrameSize, Charts.Files> charts) {
        BenchOptions o = setup.options();
        StringBuilder md = new StringBuilder(header(setup, "REST vs gRPC benchmark"));
        md.append("- First, every transport: ").append(o.firstWarmup()).append(" warm-up requests with ")
                .append(o.workers()).append(" in flight (not counted), so the JIT has compiled both ends' hot paths;")
                .append(" one in ").append(Frames.WARMUP_REAL_EVERY).append(" a real frame, the others a flat grey")
                .append(" frame padded to the face frame's size (the same bytes to send and parse, quick to detect);")
                .append(" then each transport's cells, from the most in flight to the fewest\n")
                .append("- Each cell: ").append(o.warmup()).append(" warm-up requests (not counted), then ")
                .append(o.perCell()).append(" measured; \"in flight\" threads each send, wait for the reply and")
                .append(" send again, each with its own client (its own connection; for gRPC stream its own call)\n")
                .append("- Floor: the same `DetectionPipeline` in the benchmark JVM, same frames and server")
                .append(" options, min(in flight, workers = ").append(o.workers()).append(") threads, no network\n")
                .append("- Latency: end-to-end as the client saw it; server = the latency the server reports;")
                .append(" overhead = end-to-end minus server, per request, then the median; percentiles")
                .append(" interpolate between ranks; req/s counts successful requests\n")
                .append("- Bytes: the HTTP body or the serialized Protobuf message, without HTTP headers or")
                .append(" gRPC framing\n");
        for (FrameSize size : sizes(cells)) {
            md.append("\n## ").append(size).append(" frames\n\n").append(table(cells, size));
            Charts.Files files = charts.get(size);
            if (files != null) {
                md.append("\n![latency percentiles at the lowest concurrency](").append(files.latency().getFileName())
                        .append(")\n\n![throughput against requests in flight](")
                        .append(files.throughput().getFileName()).append(")\n");
            }
        }
        List<Targets.Check> checks = Targets.check(cells, o.workers(), setup.startup());
        if (!checks.isEmpty() && !o.save()) {
            md.append("\n## Targets\n\nThe original Python servers' figures on the reference 2-core machine and")
                    .append(" the benchmark issue's targets, checked against this run (1280x720 frames):\n\n")
                    .append(Targets.markdown(checks));
        }
        return md.toString();
    }

    /** The markdown table for one frame size, rows grouped by concurrency, floor first. */
    static String table(List<CellResult> cells, FrameSize size) {
        StringBuilder md = new StringBuilder("| transport | in flight | req/s | vs floor | p50 ms | p90 ms | p99 ms "
                + "| max ms | server p50 ms | overhead p50 ms | request B | reply B | errors |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (CellResult c : ordered(cells, size)) {
            String ratio = c.isFloor() ? "1.00" : fixed(c.ratioTo(floorOf(cells, c)), 2);
            String name = c.isFloor() ? "floor (in-process, " + c.threads() + (c.threads() == 1 ? " thread)" : " threads)")
                    : c.transport();
            md.append(String.join(" | ", "| " + name, Integer.toString(c.concurrency()),
                    fixed(c.throughput(), 1), ratio, fixed(c.endToEnd().p50(), 1), fixed(c.endToEnd().p90(), 1),
                    fixed(c.endToEnd().p99(), 1), fixed(c.endToEnd().max(), 1), fixed(c.serverP50(), 1),
                    fixed(c.overheadP50(), 2), bytes(c.requestBytes()), bytes(c.replyBytes()),
                    Integer.toString(c.errors()))).append(" |\n");
        }
        return md.toString();
    }

    static String csv(List<CellResult> cells) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (FrameSize size : sizes(cells)) {
            for (CellResult c : ordered(cells, size)) {
                csv.append(String.join(",", size.toString(), quoted(c.transport()), Integer.toString(c.concurrency()),
                        Integer.toString(c.threads()), Integer.toString(c.requests()), Integer.toString(c.errors()),
                        fixed(c.seconds(), 3), fixed(c.throughput(), 2),
                        c.isFloor() ? "1.000" : fixed(c.ratioTo(floorOf(cells, c)), 3),
                        fixed(c.endToEnd().p50(), 3), fixed(c.endToEnd().p90(), 3), fixed(c.endToEnd().p99(), 3),
                        fixed(c.endToEnd().max(), 3), fixed(c.serverP50(), 3), fixed(c.overheadP50(), 3),
                        fixed(c.requestBytes(), 0), fixed(c.replyBytes(), 0), quoted(c.firstError()))).append('\n');
            }
        }
        return csv.toString();
    }

    static CellResult floorOf(List<CellResult> cells, CellResult cell) {
        return cells.stream().filter(c -> c.isFloor() && c.size().equals(cell.size())
                && c.concurrency() == cell.concurrency()).findFirst().orElse(null);
    }

    static List<FrameSize> sizes(List<CellResult> cells) {
        return cells.stream().map(CellResult::size).distinct().toList();
    }

    /** Cells of one size by concurrency, the floor first, then transports in the order they ran. */
    private static List<CellResult> ordered(List<CellResult> cells, FrameSize size) {
        List<String> transports = cells.stream().map(CellResult::transport).distinct().toList();
        List<CellResult> rows = new ArrayList<>(cells.stream().filter(c -> c.size().equals(size)).toList());
        rows.sort(Comparator.comparingInt(CellResult::concurrency)
                .thenComparingInt(c -> c.isFloor() ? -1 : transports.indexOf(c.transport())));
        return rows;
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String bytes(double value) {
        return Double.isNaN(value) || value == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    /** RFC 4180: every text field quoted, inner quotes doubled, line breaks flattened. */
    private static String quoted(String text) {
        return '"' + text.replace("\"", "\"\"").replaceAll("[\r\n]+", " ") + '"';
    }
}

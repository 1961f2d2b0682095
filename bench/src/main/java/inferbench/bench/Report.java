package inferbench.bench;

import inferbench.pipeline.DecodeMode;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results as markdown (for people and docs/results.md) and as CSV (for anything else). */
final class Report {
    static final String CSV_HEADER = "frames,size,transport,concurrency,threads,requests,errors,wrong,seconds,"
            + "throughput_rps,floor_ratio,e2e_p50_ms,e2e_p90_ms,e2e_p99_ms,e2e_max_ms,server_p50_ms,overhead_p50_ms,"
            + "request_bytes,reply_bytes,first_error,first_wrong,e2e_mean_ms,server_requests,server_mean_ms,"
            + "queue_mean_ms,detection_mean_ms";

    private Report() {
    }

    /** Title, command, machine, servers and frames: what every result file starts with. */
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
        for (BenchTransport t : BenchTransport.select(setup.options().transports())) {
            if (setup.probes().stream().noneMatch(p -> p.transport() == t)) {
                md.append("- ").append(t.label).append(": not measured (no ")
                        .append(t.server == BenchTransport.Server.REST ? "--rest" : "--grpc").append(" server given)\n");
            }
        }
        for (TransportProbe.Result p : setup.probes()) {
            md.append("- ").append(p.transport().label).append(": ").append(switch (p.outcome()) {
                case OFFERED -> "offered" + (p.detail().isEmpty() ? "" : " (the probe's answer was wrong: "
                        + p.detail() + ")");
                case NOT_OFFERED -> "**not offered** by the server (" + p.detail() + "): not measured";
                case FAILED -> "**failed** at the probe (" + p.detail() + "): not measured";
            }).append('\n');
        }
        md.append("\n### Frames\n\nJPEG quality 95, encoded before timing, sent in turn; ")
                .append(setup.options().save() ? "saved" : "not saved").append(" by the server. ")
                .append(decodeNote(setup)).append(" The time is the")
                .append(" pipeline's own in this JVM with the servers' options, the median of ").append(Floor.TIMING_RUNS)
                .append(" runs after the floor's warm-up.\n\n");
        for (String set : setup.options().frames()) {
            md.append("- **").append(set).append("**: ").append(FrameSets.description(set)).append('\n');
        }
        md.append("\n| frames | size | frame | bytes | answer | in-process ms |\n"
                + "| --- | --- | --- | ---: | --- | ---: |\n");
        for (Frames frames : setup.frames()) {
            for (Frames.Frame f : frames.frames()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %s | %.1f |%n", frames.set(),
                        frames.size(), f.name(), f.jpeg().length, f.expected().describe(), f.inProcessMs()));
            }
        }
        return md.toString();
    }

    /** Whose answers every reply is held to, and how the servers decode, as far as the benchmark knows. */
    static String decodeNote(RunSetup setup) {
        String mode = "`--decode " + setup.decode().flag + "`";
        String expected = setup.options().expectServers() && setup.decode() != DecodeMode.EXACT
                ? "The answer every server must give is the in-process pipeline's with the servers' " + mode
                        + " (`--expect servers`), which may differ from the original's;"
                : "The answer every server must give is the original's: the in-process pipeline's on the original's"
                        + " path (`--decode exact`);";
        return expected + (setup.serversStarted() ? " the servers decode with " + mode + "."
                : " the servers were not started by the benchmark, so how they decode is their own (the floor's"
                        + " times use " + mode + ").");
    }

    static String markdown(RunSetup setup, Results results) {
        BenchOptions o = setup.options();
        List<CellResult> cells = results.cells();
        StringBuilder md = new StringBuilder(header(setup, "REST vs gRPC benchmark"));
        md.append("\n### Method\n\n")
                .append("- First, every transport: ").append(o.firstWarmup()).append(" warm-up requests with ")
                .append(o.workers()).append(" in flight (not counted); one in ").append(Frames.WARMUP_REAL_EVERY)
                .append(" a real frame of the first set, the others a flat grey frame padded to its first frame's")
                .append(" size; then each transport's cells, from the most in flight to the fewest\n")
                .append("- Each cell: ").append(o.warmup()).append(" warm-up requests (not counted), then ")
                .append(o.perCell(0)).append(" measured for the first frame set");
        if (o.frames().size() > 1) {
            md.append(" (").append(o.perCell(1)).append(" for the others)");
        }
        md.append("; \"in flight\" threads each send, wait for the reply and send again, each with its own client\n")
                .append("- Floor: the same `DetectionPipeline` in the benchmark JVM, same frames and server options,")
                .append(" min(in flight, workers = ").append(o.workers()).append(") threads, no network")
                .append(setup.serversStarted() ? "" : " (workers as given with --workers: the servers' own"
                        + " settings are unknown)").append('\n')
                .append("- Only right answers count: req/s is right answers per second; latency and overhead are")
                .append(" over them; errors (no answer, or a refusal) and wrong answers (not the pipeline's answer)")
                .append(" have their own columns\n")
                .append("- Latency: end-to-end as the client saw it; server = the latency the server reports;")
                .append(" overhead = end-to-end minus server, per request, then the median\n")
                .append("- Body bytes: the HTTP body or the Protobuf message; the whole bytes on the wire are")
                .append(" below\n")
                .append("- The server's side: each server's own histograms (`GET /metrics`), read before and after a")
                .append(" cell's measured requests (its warm-up left out); the mean of each request's time there, from")
                .append(" headers to reply, of its wait for a worker and of its detection (docs/metrics.md)\n");
        md.append("\n## Headline\n\n").append(Headline.markdown(setup, results));
        Map<Frames, Charts.Files> charts = Charts.files(setup, cells, Path.of("."));
        for (Frames frames : setup.frames()) {
            if (cells.stream().noneMatch(c -> c.set().equals(frames.set()) && c.size().equals(frames.size()))) {
                continue;
            }
            md.append("\n## ").append(frames.set()).append(" frames, ").append(frames.size()).append("\n\n")
                    .append(table(cells, frames.set(), frames.size()))
                    .append(serverTable(cells, frames.set(), frames.size()));
            Charts.Files files = charts.get(frames);
            md.append("\n![latency percentiles at the lowest concurrency](").append(files.latency().getFileName())
                    .append(")\n\n![throughput against requests in flight](")
                    .append(files.throughput().getFileName()).append(")\n");
        }
        if (!results.wire().isEmpty()) {
            md.append("\n## Bytes on the wire\n\nCounted at the socket by a TCP relay on loopback between a new")
                    .append(" client and the server, in a separate pass (the relay adds a hop, so no latency is")
                    .append(" measured through it): each transport sends ").append(o.wireCalls())
                    .append(" frames one at a time, and each call's bytes are what passed each way from its")
                    .append(" start until the connection was quiet after its reply. Sent / received, per call.")
                    .append(" Framing is all but the body: HTTP/1.1 request and status lines and headers; HTTP/2")
                    .append(" frame headers, HPACK-compressed headers, gRPC's 5-byte message prefix and trailers;")
                    .append(" on the first call also the connection's setup (HTTP/2 preface and settings). TCP/IP")
                    .append(" headers are not counted.\n\n").append(WireBytes.markdown(results.wire()));
        }
        if (!results.links().isEmpty()) {
            md.append(LinkReport.markdown(results.links(), o.links(), o.frames().get(0)));
            if (!results.centreSquare().isEmpty()) {
                md.append(CentreSquareParity.markdown(results.centreSquare()));
            }
        }
        if (!results.coldStarts().isEmpty()) {
            md.append("\n## Cold starts\n\nPer transport, a freshly started server of its kind (same options)")
                    .append(" and a new client; ").append(o.coldCalls()).append(" calls one at a time with the ")
                    .append(setup.frames().get(0).label()).append(" frames, counted from the moment health turned")
                    .append(" OK; p50 per block of calls. Warm: the measured 1-in-flight cell.\n\n")
                    .append(ColdStart.markdown(results.coldStarts(), Headline.warmCells(setup, cells)))
                    .append("\n![overhead after a fresh start](").append(Charts.COLD_START).append(")\n");
        } else if (!setup.serversStarted()) {
            md.append("\n## Cold starts\n\nNot measured: they need servers the benchmark starts itself.\n");
        }
        if (!results.tls().isEmpty()) {
            md.append("\n## TLS\n\nEvery transport in plaintext and over TLS (TLS 1.3, which every client here")
                    .append(" negotiates; the servers offer 1.2 too), on servers started for this pass, one pair")
                    .append(" per way of securing them, each warmed up alike (").append(o.tlsWarmup())
                    .append(" requests per transport, as in the first warm-up above). The server's certificate:")
                    .append(" EC P-256, made for the run. gRPC")
                    .append(" with each TLS implementation its server can use (OpenSSL: the BoringSSL bundled with")
                    .append(" grpc-netty-shaded; and the JDK's), REST with the JDK's; the gRPC client uses grpc's")
                    .append(" default (OpenSSL where it loads). ").append(setup.frames().get(0).label())
                    .append(" frames. New connection: ").append(o.tlsCalls()).append(" new clients each send two")
                    .append(" frames; its setup is the first call's overhead minus the second's (TCP connect, and the")
                    .append(" TLS handshake: one round trip for TLS 1.3, after TCP's), the median. Per frame: ")
                    .append(o.tlsRequests()).append(" requests on a kept connection, one in flight (after ")
                    .append(o.warmup()).append(" not counted). Server CPU: ").append(o.tlsCpuRequests())
                    .append(" frames of the same size whose header declares 65535 x 65535 pixels, which the server")
                    .append(" refuses before decoding, so detection does not bury the protocol's share; the server")
                    .append(" process's user and system time from /proc over them, per request (10 ms clock ticks).\n\n")
                    .append(TlsReport.markdown(results.tls()));
        } else if (!setup.serversStarted()) {
            md.append("\n## TLS\n\nNot measured: the TLS pass needs servers the benchmark starts itself.\n");
        }
        List<Targets.Check> checks = Targets.check(setup, cells);
        if (!checks.isEmpty()) {
            md.append("\n## Targets\n\nThe original Python servers' figures on the reference 2-core machine and")
                    .append(" the benchmark issue's targets, checked against this run (default frames, 1280x720;")
                    .append(" a cell with an error or a wrong answer meets none):\n\n")
                    .append(Targets.markdown(checks));
        } else if (!setup.serversStarted()) {
            md.append("\n## Targets\n\nNot checked: the benchmark did not start these servers, so their settings")
                    .append(" (and what the targets assume) are unknown.\n");
        } else {
            md.append("\n## Targets\n\nNot checked: they were set for the default frames at 1280x720 without")
                    .append(" saving, which this run did not measure.\n");
        }
        return md.toString();
    }

    /** The markdown table for one frame set at one size, rows grouped by concurrency, floor first. */
    static String table(List<CellResult> cells, String set, FrameSize size) {
        StringBuilder md = new StringBuilder("| transport | in flight | req/s | vs floor | p50 ms | p90 ms | p99 ms "
                + "| max ms | server p50 ms | overhead p50 ms | request B | reply B | errors | wrong |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        List<CellResult> rows = ordered(cells.stream().filter(c -> c.set().equals(set) && c.size().equals(size))
                .toList());
        for (CellResult c : rows) {
            String ratio = c.isFloor() ? "1.00" : fixed(c.ratioTo(floorOf(cells, c)), 2);
            String name = c.isFloor() ? "floor (in-process, " + c.threads() + (c.threads() == 1 ? " thread)" : " threads)")
                    : c.transport();
            md.append(String.join(" | ", "| " + name, Integer.toString(c.concurrency()),
                    fixed(c.throughput(), 1), ratio, fixed(c.endToEnd().p50(), 1), fixed(c.endToEnd().p90(), 1),
                    fixed(c.endToEnd().p99(), 1), fixed(c.endToEnd().max(), 1), fixed(c.serverP50(), 1),
                    fixed(c.overheadP50(), 2), bytes(c.requestBytes()), bytes(c.replyBytes()),
                    Integer.toString(c.errors()), Integer.toString(c.wrong()))).append(" |\n");
        }
        List<String> problems = new ArrayList<>();
        rows.stream().filter(c -> !c.firstError().isEmpty()).forEach(c -> problems.add(c.transport() + " at "
                + c.concurrency() + " in flight, first error: " + c.firstError()));
        rows.stream().filter(c -> !c.firstWrong().isEmpty()).forEach(c -> problems.add(c.transport() + " at "
                + c.concurrency() + " in flight, first " + c.firstWrong()));
        problems.forEach(p -> md.append("\n- ").append(p));
        return problems.isEmpty() ? md.toString() : md.append('\n').toString();
    }

    /**
     * Where each served cell's time went, the client's mean beside the server's own account (from
     * its metrics): the server's time split into the wait for a worker, the detection, and the rest
     * (reading, parsing, replying); what the client measured beyond it is the network's and the
     * client's. Empty when no server's metrics were read.
     */
    static String serverTable(List<CellResult> cells, String set, FrameSize size) {
        List<CellResult> rows = ordered(cells.stream().filter(c -> c.set().equals(set) && c.size().equals(size)
                && c.server().known()).toList());
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\nWhere the time went, as means over the right answers (client) and over"
                + " the requests the server counted (server, from its own metrics), ms:\n\n"
                + "| transport | in flight | client | server | queue wait | detection | rest of server | outside the"
                + " server | server counted |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (CellResult c : rows) {
            ServerTime s = c.server();
            md.append(String.join(" | ", "| " + c.transport(), Integer.toString(c.concurrency()),
                    fixed(c.endToEndMean(), 2), fixed(s.requestMs(), 2), fixed(s.queueMs(), 2),
                    fixed(s.detectionMs(), 2), fixed(s.protocolMs(), 2), fixed(c.endToEndMean() - s.requestMs(), 2),
                    String.format(Locale.ROOT, "%.0f of %d", s.requests(), c.requests()))).append(" |\n");
        }
        return md.toString();
    }

    static String csv(List<CellResult> cells) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (CellResult c : cells) {
            csv.append(csvRow(c, cells)).append('\n');
        }
        return csv.toString();
    }

    /** One cell's CSV fields; its ratio to the floor among {@code cells}, empty when they hold no floor. */
    static String csvRow(CellResult c, List<CellResult> cells) {
        return String.join(",", quoted(c.set()), c.size().toString(), quoted(c.transport()),
                Integer.toString(c.concurrency()), Integer.toString(c.threads()), Integer.toString(c.requests()),
                Integer.toString(c.errors()), Integer.toString(c.wrong()), fixed(c.seconds(), 3),
                fixed(c.throughput(), 2), c.isFloor() ? "1.000" : fixed(c.ratioTo(floorOf(cells, c)), 3),
                fixed(c.endToEnd().p50(), 3), fixed(c.endToEnd().p90(), 3), fixed(c.endToEnd().p99(), 3),
                fixed(c.endToEnd().max(), 3), fixed(c.serverP50(), 3), fixed(c.overheadP50(), 3),
                fixed(c.requestBytes(), 0), fixed(c.replyBytes(), 0), quoted(c.firstError()),
                quoted(c.firstWrong()), fixed(c.endToEndMean(), 3), fixed(c.server().requests(), 0),
                fixed(c.server().requestMs(), 3), fixed(c.server().queueMs(), 3), fixed(c.server().detectionMs(), 3));
    }

    static CellResult floorOf(List<CellResult> cells, CellResult cell) {
        return cells.stream().filter(c -> c.isFloor() && c.sameFrames(cell) && c.concurrency() == cell.concurrency())
                .findFirst().orElse(null);
    }

    /** Cells by concurrency, the floor first, then transports in the order they ran. */
    static List<CellResult> ordered(List<CellResult> cells) {
        List<String> transports = cells.stream().map(CellResult::transport).distinct().toList();
        List<CellResult> rows = new ArrayList<>(cells);
        rows.sort(Comparator.comparingInt(CellResult::concurrency)
                .thenComparingInt(c -> c.isFloor() ? -1 : transports.indexOf(c.transport())));
        return rows;
    }

    static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String bytes(double value) {
        return Double.isNaN(value) || value == 0 ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    /** RFC 4180: every text field quoted, inner quotes doubled, line breaks flattened. */
    static String quoted(String text) {
        return '"' + text.replace("\"", "\"\"").replaceAll("[\r\n]+", " ") + '"';
    }
}

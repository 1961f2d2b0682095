package inferbench.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The leak check: N requests to each started server, its resident memory read after every
 * 1,000. Native {@code Mat} memory lives outside the Java heap, so only the process's RSS shows
 * a leak there. The first reading (after 1,000: JIT, pools and caches warm) is the baseline the
 * last one is compared with.
 */
final class Soak {
    static final int STEP = 1000;

    private Soak() {
    }

    /**
     * @param rssKb the server's RSS after each step of {@link #STEP} requests (the last step may be shorter)
     */
    record Result(String server, List<BenchTransport> transports, int concurrency, int requests, int errors,
                  List<Long> rssKb) {
        double ratio() {
            return (double) rssKb.get(rssKb.size() - 1) / rssKb.get(0);
        }
    }

    /** The server's transports take turns, one step each, so every handler sees the load. */
    static Result run(String name, ServerProcess process, List<BenchTransport> transports, Servers servers,
                      Frames frames, BenchOptions options, PrintStream progress) throws InterruptedException {
        int concurrency = options.maxConcurrency();
        List<Long> rss = new ArrayList<>();
        int errors = 0;
        for (int done = 0, step = 0; done < options.soak(); step++) {
            int requests = Math.min(STEP, options.soak() - done);
            BenchTransport transport = transports.get(step % transports.size());
            LoadRunner.Run run = LoadRunner.run(TransportSender.factory(transport, servers, frames, options.save()),
                    concurrency, 0, requests);
            errors += (int) run.samples().stream().filter(s -> !s.correct()).count();
            done += requests;
            rss.add(process.rssKb());
            progress.printf(Locale.ROOT, "soak %s: %,d requests (%s), RSS %.1f MiB, %d errors%n", name, done,
                    transport.label, rss.get(rss.size() - 1) / 1024.0, errors);
        }
        return new Result(name, transports, concurrency, options.soak(), errors, rss);
    }

    static String markdown(RunSetup setup, List<Result> results) {
        StringBuilder md = new StringBuilder(Report.header(setup, "Leak check"));
        md.append("\nEach server gets the requests below, ").append(results.get(0).concurrency())
                .append(" in flight, its transports taking turns every ").append(String.format(Locale.ROOT, "%,d", STEP))
                .append(" requests. RSS is the server process's `VmRSS` from `/proc/<pid>/status`: Java heap,")
                .append(" metaspace, thread stacks and native OpenCV memory together.\n\n")
                .append("| server | transports | requests | errors | RSS after 1,000 | RSS after all | ratio |\n")
                .append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %.1f MiB | %.1f MiB | %.3f |%n", r.server(),
                    r.transports().stream().map(t -> t.label).collect(Collectors.joining(", ")), r.requests(),
                    r.errors(), r.rssKb().get(0) / 1024.0, r.rssKb().get(r.rssKb().size() - 1) / 1024.0, r.ratio()));
        }
        md.append("\nRSS after each step, MiB:\n\n| requests |");
        results.forEach(r -> md.append(' ').append(r.server()).append(" |"));
        md.append("\n| ---: |").append(" ---: |".repeat(results.size())).append('\n');
        int steps = results.stream().mapToInt(r -> r.rssKb().size()).max().orElse(0);
        for (int i = 0; i < steps; i++) {
            md.append(String.format(Locale.ROOT, "| %,d |", Math.min((i + 1) * STEP, results.get(0).requests())));
            for (Result r : results) {
                md.append(i < r.rssKb().size() ? String.format(Locale.ROOT, " %.1f |", r.rssKb().get(i) / 1024.0) : " |");
            }
            md.append('\n');
        }
        return md.toString();
    }
}

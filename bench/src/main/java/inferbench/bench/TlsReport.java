package inferbench.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The TLS pass's tables ({@link TlsPass}), and the line the README's headline quotes. */
final class TlsReport {
    private TlsReport() {
    }

    /** Every row, then what TLS adds to each transport against its plaintext row on the same link. */
    static String markdown(List<TlsPass.Result> results) {
        StringBuilder md = new StringBuilder("| link | transport | connection | new connection: first call ms"
                + " | its setup ms (round trips more than on loopback) | per frame: overhead p50 ms | end-to-end p50 ms"
                + " | server CPU ms per request, protocol alone | errors |\n"
                + "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (TlsPass.Result r : results) {
            md.append(String.join(" | ", "| " + r.link(), r.transport(), r.mode(), Report.fixed(r.firstCall(), 1),
                    Report.fixed(r.setup(), 2) + roundTrips(setupRoundTrips(results, r)),
                    Report.fixed(r.cell().overheadP50(), 2), Report.fixed(r.cell().endToEnd().p50(), 1),
                    Report.fixed(r.serverCpuMs(), 3), Integer.toString(r.errors()))).append(" |\n");
        }
        md.append("\nWhat TLS adds, against the same transport in plaintext on the same link:\n\n")
                .append("| link | transport | TLS | setup of a new connection, ms (round trips) | per frame:"
                        + " overhead, ms | per request: server CPU, ms |\n| --- | --- | --- | ---: | ---: | ---: |\n");
        for (TlsPass.Result r : results) {
            TlsPass.Result plain = plaintextOf(results, r);
            if (r.tls() && plain != null) {
                md.append(String.join(" | ", "| " + r.link(), r.transport(), r.mode(),
                        signed(r.setup() - plain.setup()) + roundTrips(setupRoundTrips(results, r)
                                - setupRoundTrips(results, plain)),
                        signed(r.cell().overheadP50() - plain.cell().overheadP50()),
                        signed(r.serverCpuMs() - plain.serverCpuMs()))).append(" |\n");
            }
        }
        return md.toString();
    }

    /**
     * One line per link for the README's headline: what TLS adds to the idiomatic REST client and
     * to gRPC unary, with each server's default TLS.
     */
    static String headline(List<TlsPass.Result> results) {
        Map<String, List<String>> byLink = new LinkedHashMap<>();
        for (TlsPass.Result r : results) {
            boolean headlined = r.transport().equals(BenchTransport.REST_MULTIPART.label)
                    || r.transport().equals(BenchTransport.GRPC_UNARY.label);
            TlsPass.Result plain = plaintextOf(results, r);
            if (!headlined || !r.tls() || plain == null || (r.mode().equals("TLS (JDK)")
                    && results.stream().anyMatch(o -> o.transport().equals(r.transport()) && o.link().equals(r.link())
                    && o.mode().equals("TLS (OpenSSL)")))) {
                continue; // gRPC's headline figure is its default implementation's
            }
            double cpu = r.serverCpuMs() - plain.serverCpuMs();
            byLink.computeIfAbsent(r.link(), l -> new ArrayList<>()).add(String.format(Locale.ROOT,
                    "%s, a new connection %s ms%s, each frame %s ms%s (%s)", r.transport(),
                    signed(r.setup() - plain.setup()),
                    roundTrips(setupRoundTrips(results, r) - setupRoundTrips(results, plain)),
                    signed(r.cell().overheadP50() - plain.cell().overheadP50()),
                    Double.isNaN(cpu) ? "" : ", server CPU " + signed(cpu) + " ms per frame",
                    r.mode().replace("TLS (", "").replace(")", "")));
        }
        return byLink.entrySet().stream().map(e -> "TLS on " + e.getKey() + ": " + String.join("; ", e.getValue()))
                .collect(Collectors.joining("\n"));
    }

    /** Under this round-trip time the machine's own noise is larger than a round trip: none is counted. */
    static final double MIN_RTT_MS = 10;

    /**
     * The round trips a link adds to a new connection's setup: its setup there less the same
     * transport's on loopback (the CPU of a handshake, which the link does not change), over the
     * round-trip time; NaN on loopback and on links under {@link #MIN_RTT_MS}.
     */
    static double setupRoundTrips(List<TlsPass.Result> results, TlsPass.Result r) {
        return results.stream().filter(o -> o.rttMs() == 0 && r.rttMs() >= MIN_RTT_MS
                        && o.transport().equals(r.transport())
                && o.mode().equals(r.mode())).findFirst().map(loopback -> (r.setup() - loopback.setup()) / r.rttMs())
                .orElse(Double.NaN);
    }

    private static TlsPass.Result plaintextOf(List<TlsPass.Result> results, TlsPass.Result r) {
        return results.stream().filter(o -> !o.tls() && o.link().equals(r.link())
                && o.transport().equals(r.transport())).findFirst().orElse(null);
    }

    private static String roundTrips(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, " (%+.1f)", value);
    }

    private static String signed(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%+.2f", value);
    }
}

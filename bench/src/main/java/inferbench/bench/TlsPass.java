package inferbench.bench;

import inferbench.client.transport.Transport;
import inferbench.link.LinkProfile;
import inferbench.link.LinkedServers;
import inferbench.samples.SampleCertificates;
import inferbench.tls.ClientTls;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What TLS costs each transport: every transport in plaintext and over TLS, on servers started
 * for this pass in turn, one pair per way of securing them, each warmed up alike (the plaintext
 * pair too, so the two are compared equally warm). On loopback, and on each link of the run
 * through the link pass's relays ({@link LinkedServers}):
 * <ul>
 *   <li>new connections: a new client sends two frames; the first call's overhead minus the
 *       second's is what setting up the connection cost (TCP, and TLS's handshake), which a link
 *       turns into round trips;</li>
 *   <li>a kept connection, one request in flight: the overhead per frame;</li>
 *   <li>on loopback, the server's CPU time per request from /proc, where encryption shows even
 *       when latency hides it, over frames of the same size that it refuses from their header:
 *       detection would bury the protocol's share of a real frame's 30 ms.</li>
 * </ul>
 * gRPC is measured with each TLS implementation its server can use (OpenSSL, that is the
 * BoringSSL bundled with grpc-netty-shaded, and the JDK's); REST has the JDK's only. The
 * clients are the benchmark's own, so the gRPC client uses grpc's default, OpenSSL where it
 * loads. {@link TlsReport} writes the results.
 */
final class TlsPass {
    static final String LOOPBACK = "loopback";
    static final String PLAINTEXT = "plaintext";
    /** New clients per transport over a link, where each costs round trips: enough for a median. */
    static final int LINK_CALLS = 5;

    /**
     * One transport, one way of securing it, on one link.
     *
     * @param rttMs       the link's round-trip time, 0 on loopback
     * @param mode        "plaintext", or "TLS (JDK)" / "TLS (OpenSSL)": who encrypts on the server
     * @param connections new clients measured (their calls answered rightly)
     * @param firstCall   p50 end to end of a new client's first call, ms
     * @param setup       p50 of (first call's overhead - second call's), ms: the connection's setup
     * @param cell        the kept connection's cell, one request in flight
     * @param serverCpuMs server CPU time per request of the protocol alone (a frame refused from its
     *                    header), ms; NaN over a link, where it is the same as on loopback
     * @param errors      calls not answered right (or, for the CPU part, not refused), in any part
     */
    record Result(String link, double rttMs, String transport, String mode, int connections, double firstCall,
                  double setup, CellResult cell, double serverCpuMs, int errors) {
        boolean tls() {
            return !mode.equals(PLAINTEXT);
        }
    }

    /** A way of securing the servers: the row label per server kind, and the flags that make it. */
    private record Mode(String name, Map<BenchTransport.Server, String> labels, List<String> flags) {
    }

    private final BenchOptions options;
    private final PrintStream progress;

    TlsPass(BenchOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * @param frames        the frames measured (the first frame set at the first size)
     * @param warmUpFrames  the main warm-up's frames, for the same warm-up
     */
    List<Result> run(List<BenchTransport> transports, Frames frames, Frames warmUpFrames, Path work)
            throws Exception {
        SampleCertificates.PemFiles certificates = SampleCertificates.localhost(work.resolve("tls-certificates"));
        List<Result> results = new ArrayList<>();
        for (Mode mode : modes(certificates)) {
            List<BenchTransport> ofMode = transports.stream().filter(t -> mode.labels().containsKey(t.server)).toList();
            if (ofMode.isEmpty()) {
                continue;
            }
            Set<BenchTransport.Server> kinds = ofMode.stream().map(t -> t.server).collect(Collectors.toSet());
            ClientTls tls = mode.flags().isEmpty() ? ClientTls.PLAINTEXT : ClientTls.trusting(certificates.ca());
            try (Servers servers = Servers.startWith(kinds, mode.name(), mode.flags(), tls, options, work)) {
                Cells cells = new Cells(options, progress);
                for (BenchTransport t : ofMode) {
                    cells.warmUp(t.label + ", " + mode.labels().get(t.server),
                            TransportSender.factory(t, servers, warmUpFrames, options.save()), options.tlsWarmup());
                }
                for (BenchTransport t : ofMode) {
                    results.add(measure(LOOPBACK, 0, t, mode.labels().get(t.server), servers, servers, frames,
                            options.tlsCalls(), options.tlsRequests()));
                }
                for (LinkProfile link : links()) {
                    try (LinkedServers linked = LinkedServers.start(link, servers.restUrl(), servers.grpcTarget())) {
                        Servers through = Servers.at(linked.restUrl(), linked.grpcTarget(), tls);
                        int requests = options.links().requests() > 0 ? options.links().requests()
                                : LinkPass.requests(link, frames);
                        for (BenchTransport t : ofMode) {
                            results.add(measure(link.name(), link.rttMillis(), t, mode.labels().get(t.server),
                                    servers, through, frames, Math.min(options.tlsCalls(), LINK_CALLS), requests));
                        }
                    }
                }
            }
        }
        return results;
    }

    /** The run's links, but a zero-delay one: loopback is measured directly. */
    private List<LinkProfile> links() {
        return options.links().profiles().stream().filter(l -> !l.name().equals(LOOPBACK)).toList();
    }

    /**
     * Plaintext; TLS with each server's default implementation; and gRPC with the JDK's too,
     * where OpenSSL is its default.
     */
    private static List<Mode> modes(SampleCertificates.PemFiles certificates) {
        List<String> tlsFlags = List.of("--tls-cert", certificates.cert().toString(),
                "--tls-key", certificates.key().toString());
        boolean openSsl = OpenSsl.isAvailable(); // the servers run on this machine, with the same grpc-netty-shaded
        List<Mode> modes = new ArrayList<>();
        modes.add(new Mode(PLAINTEXT, Map.of(BenchTransport.Server.REST, PLAINTEXT,
                BenchTransport.Server.GRPC, PLAINTEXT), List.of()));
        modes.add(new Mode("TLS", Map.of(BenchTransport.Server.REST, "TLS (JDK)",
                BenchTransport.Server.GRPC, openSsl ? "TLS (OpenSSL)" : "TLS (JDK)"), tlsFlags));
        if (openSsl) {
            List<String> jdk = new ArrayList<>(tlsFlags);
            jdk.addAll(List.of("--tls-provider", "jdk"));
            modes.add(new Mode("TLS JDK", Map.of(BenchTransport.Server.GRPC, "TLS (JDK)"), jdk));
        }
        return modes;
    }

    /**
     * @param servers the servers themselves (their processes' CPU time)
     * @param through where the clients reach them: the servers, or a link's relays
     */
    private Result measure(String link, double rttMs, BenchTransport kind, String mode, Servers servers,
                           Servers through, Frames frames, int calls, int requests) throws InterruptedException {
        double[] firstCalls = new double[calls];
        double[] setups = new double[calls];
        int answered = 0;
        int errors = 0;
        for (int i = 0; i < calls; i++) {
            Transport transport = kind.open(through);
            try (TransportSender sender = new TransportSender(transport, frames, options.save())) {
                Sample first = LoadRunner.timed(sender, 2 * i);
                Sample second = LoadRunner.timed(sender, 2 * i + 1);
                if (first.correct() && second.correct()) {
                    firstCalls[answered] = first.endToEndMs();
                    setups[answered++] = first.overheadMs() - second.overheadMs();
                } else {
                    errors++;
                }
            }
        }
        LoadRunner.Run run = LoadRunner.run(TransportSender.factory(kind, through, frames, options.save()), 1,
                options.warmup(), requests);
        CellResult cell = CellResult.of(kind.label, frames, 1, 1, run);
        ProtocolCpu cpu = link.equals(LOOPBACK) ? protocolCpu(kind, servers, frames) : new ProtocolCpu(Double.NaN, 0);
        Result result = new Result(link, rttMs, kind.label, mode, answered,
                Stats.median(Arrays.copyOf(firstCalls, answered)), Stats.median(Arrays.copyOf(setups, answered)),
                cell, cpu.perRequest(), errors + cell.errors() + cell.wrong() + cpu.notRefused());
        String cpuText = Double.isNaN(cpu.perRequest()) ? ""
                : String.format(Locale.ROOT, ", server CPU %.3f ms/request for the protocol", cpu.perRequest());
        progress.printf(Locale.ROOT, "%-18s %-13s %s: new connection %.1f ms (setup %.2f ms), per frame overhead"
                        + " p50 %.2f ms%s, %d errors%s%n", kind.label, mode,
                link, result.firstCall(), result.setup(), cell.overheadP50(), cpuText, result.errors(),
                cell.firstError().isEmpty() ? "" : " (first error: " + cell.firstError() + ")");
        return result;
    }

    /** The server's CPU time per request of the protocol alone, and how many frames were not refused as they must be. */
    private record ProtocolCpu(double perRequest, int notRefused) {
    }

    /**
     * Frames of the measured size that the server refuses from their header, before decoding
     * ({@link Frames#refusedBeforeDecoding}), one at a time on one connection: the server's CPU
     * time over them, per request, is what receiving, parsing and answering a frame costs it,
     * TLS included when on. A tenth as many go first, uncounted, to warm that path.
     */
    private ProtocolCpu protocolCpu(BenchTransport kind, Servers servers, Frames frames) throws InterruptedException {
        byte[] refused = Frames.refusedBeforeDecoding(frames.frames().get(0).jpeg());
        ServerProcess server = servers.process(kind.server);
        int requests = options.tlsCpuRequests();
        int notRefused = 0;
        try (Transport transport = kind.open(servers)) {
            for (int i = 0; i < requests / 10; i++) {
                notRefused += refusedOrNot(transport, refused);
            }
            double before = server.cpuMillis();
            for (int i = 0; i < requests; i++) {
                notRefused += refusedOrNot(transport, refused);
            }
            return new ProtocolCpu((server.cpuMillis() - before) / requests, notRefused);
        }
    }

    /** 0 when the server refused the frame, as it must; 1 when it answered it or no answer came. */
    private static int refusedOrNot(Transport transport, byte[] refused) throws InterruptedException {
        try {
            return transport.send(refused, false).ok() ? 1 : 0;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return 1;
        }
    }
}

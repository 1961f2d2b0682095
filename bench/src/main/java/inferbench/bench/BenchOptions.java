package inferbench.bench;

import inferbench.config.Config;
import inferbench.tls.ClientTls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What one benchmark run measures, read from the command line (and nothing else: a benchmark
 * whose settings come from a forgotten environment variable cannot be reproduced).
 *
 * @param restUrl    a running REST server, or null to start one
 * @param grpcTarget a running gRPC server (host:port), or null to start one
 * @param transports transport names to run, empty for all
 * @param seconds    measure each cell for this long instead of for {@code requests}; 0 for a count
 * @param firstWarmup uncounted requests per transport before the first cell: the JIT compiles
 *                   the servers' and the client's hot paths only over a few thousand requests
 * @param workers    the servers' --workers, and the floor's thread cap
 * @param serverArgs extra flags for both servers (and read by the floor)
 * @param javaOptions JVM options for the server processes
 * @param soak       requests per server for the leak check, 0 for the normal run
 * @param frames     the frame sets, each "default", "busy" or an image file or folder
 * @param otherSetsConcurrency in-flight levels for the frame sets after the first
 * @param otherSetsRequests    measured requests per cell for the frame sets after the first
 * @param coldCalls  calls per transport after a fresh server start, 0 for no cold starts
 * @param wireCalls  calls per transport and frame set through the byte-counting relay, 0 for none
 * @param expectServers the expected answers come from the servers' own --decode instead of the
 *                   original's path (to time a shortcut whose answers differ)
 * @param links      the pass over emulated links
 * @param tlsCalls   new clients per transport and way of securing it in the TLS pass, 0 for no pass
 * @param tlsRequests requests per transport and way of securing it on a kept connection in the TLS pass
 * @param tlsWarmup  uncounted requests per transport and way of securing it before the TLS pass measures
 * @param tlsCpuRequests frames the server refuses from their header, per transport and way of securing
 *                   it, for the server's CPU time per request of the protocol alone
 * @param tls        how to reach the servers given with --rest and --grpc: TLS or plaintext
 */
public record BenchOptions(String restUrl, String grpcTarget, List<String> transports, List<Integer> concurrency,
                           int requests, int seconds, int warmup, int firstWarmup, List<FrameSize> sizes,
                           int workers, List<String> serverArgs, List<String> javaOptions, Path restJar,
                           Path grpcJar, Path out, boolean quick, boolean save, int soak, List<String> frames,
                           List<Integer> otherSetsConcurrency, int otherSetsRequests, int coldCalls, int wireCalls,
                           boolean expectServers, LinkOptions links, int tlsCalls, int tlsRequests, int tlsWarmup,
                           int tlsCpuRequests, ClientTls tls) {

    /** Flags whose value is itself a list of flags, so it starts with "--". */
    private static final List<String> FLAG_LIST_OPTIONS = List.of("server-args", "java-opts");

    public static final String USAGE = """
            usage: java -jar bench/target/bench.jar [options]
              (or: make bench ARGS="[options]")
            Starts both servers, measures every transport against the in-process floor with two frame
            sets, counts the bytes on the wire, measures cold starts, and writes results.md,
            results.csv and PNG charts (docs/benchmark.md explains the method and every column).
              --frames LIST        frame sets, in order: default (the sample photo's face frame and a
                                   no-face frame), busy (a crowd made from the sample photo), or an
                                   image file or folder (at most %d images, fitted to the frame as
                                   the desktop client does) (default: default,busy)
              --concurrency LIST   requests in flight per cell, first frame set (default 1,2,4,8)
              --requests N         measured requests per cell, first frame set (default 200; --quick: 6)
              --other-sets-concurrency LIST
                                   requests in flight for the frame sets after the first
                                   (default: 1 and twice --workers; --quick: 1)
              --other-sets-requests N
                                   measured requests per cell for them (default 100; --quick: 6)
              --seconds S          measure every cell for S seconds instead of a number of requests
                                   (every request started in that time counts)
              --warmup N           uncounted requests before each cell (default 20; --quick: 2)
              --first-warmup N     uncounted requests for each transport, --workers in flight,
                                   all before the first cell, so the JIT has compiled the hot
                                   paths (default 4000; --quick: 2); 7 in 8 send a grey frame of
                                   the same size that is quick to detect; cells then run from
                                   the most in flight to the fewest, so 1 in flight is measured
                                   on the best-warmed JVMs
              --wire-calls N       calls per transport and frame set through a byte-counting relay
                                   for the whole bytes on the wire, one at a time (default 100;
                                   --quick: 2; 0: none)
              --cold-calls N       calls per transport after a fresh server start, for the warm-up
                                   curve (default 128; --quick: 3, for one transport of each
                                   server; 0: none); only with servers the benchmark starts
              --tls-calls N        the TLS pass: every transport in plaintext and over TLS (each TLS
                                   implementation of its server), on servers of its own; N new clients
                                   each, for the cost of a new connection (default 20; --quick: 2;
                                   0: no TLS pass); only with servers the benchmark starts
              --tls-requests N     and N requests each on a kept connection, one in flight, for the cost
                                   per frame (default 100; --quick: 4)
              --tls-cpu-requests N and N frames the server refuses from their header, for its CPU
                                   time per request of the protocol alone (default 1000; --quick: 4)
              --tls-warmup N       uncounted requests each before the TLS pass measures, as
                                   --first-warmup sends them (default 1000; --quick: 2)
              --size LIST          frame sizes, e.g. 640x480,1280x720,1920x1080 (default 1280x720)
            %s
              --transports LIST    some of %s (default: all)
              --workers N          --workers for both servers and the floor's thread cap (default: cores)
              --server-args "..."  more flags for both servers and the floor, e.g. "--decode approximate"
              --expect WHOSE       original: every reply must be the original's answer (its decoding,
                                   whatever --decode the servers use); servers: the answer of the
                                   servers' own --decode (default original)
              --java-opts "..."    JVM options for the server processes, e.g. "-Xmx256m"
              --save               ask the servers to save every frame (default: no saving)
              --rest URL           measure a running REST server instead of starting servers,
                                   e.g. http://localhost:8001/predict (pass its --workers too)
              --grpc HOST:PORT     measure a running gRPC server instead, e.g. localhost:50051
              --tls, --ca FILE     reach the --rest and --grpc servers over TLS (--rest then https://...),
                                   trusting the CA certificate(s) in FILE (default: the JDK's trust
                                   store); the passes through a relay connect to 127.0.0.1, which the
                                   certificate must then name
              --rest-jar FILE      default server-rest/target/server-rest.jar
              --grpc-jar FILE      default server-grpc/target/server-grpc.jar
              --out DIR            where results go (default bench/target/results, --quick:
                                   bench/target/quick; --out bench/results replaces the
                                   committed results)
              --quick              a few requests per cell; exits 1 unless every request was
                                   answered rightly, every result file was written, and over the
                                   %s link every transport needed at most %s round trips per
                                   1280x720 and 1920x1080 frame (CI)
              --soak N             leak check instead: N requests per server, RSS after 1,000 and after N
            Exits 1 when a request failed or was answered wrongly, or a server the benchmark started
            does not offer a transport.
            """.formatted(FrameSets.MAX_IMAGES, LinkOptions.USAGE.stripTrailing(), BenchTransport.keys(), LinkOptions.GUARD_LINK,
            RoundTrips.LIMIT);

    public static BenchOptions parse(String[] args) {
        Config config = new Config(joinFlagLists(args), Map.of());
        boolean quick = config.getBoolean("quick", null, false);
        BenchOptions options = new BenchOptions(
                config.get("rest", null, null),
                config.get("grpc", null, null),
                list(config.get("transports", null, ""), s -> s),
                list(config.get("concurrency", null, "1,2,4,8"), BenchOptions::positive),
                config.getInt("requests", null, quick ? 6 : 200, 1),
                config.getInt("seconds", null, 0, 1),
                config.getInt("warmup", null, quick ? 2 : 20, 0),
                config.getInt("first-warmup", null, quick ? 2 : 4000, 0),
                list(config.get("size", null, FrameSize.WEBCAM.toString()), FrameSize::parse),
                config.getInt("workers", null, Runtime.getRuntime().availableProcessors(), 1),
                words(config.get("server-args", null, "")),
                words(config.get("java-opts", null, "")),
                Path.of(config.get("rest-jar", null, "server-rest/target/server-rest.jar")),
                Path.of(config.get("grpc-jar", null, "server-grpc/target/server-grpc.jar")),
                Path.of(config.get("out", null, quick ? "bench/target/quick" : "bench/target/results")),
                quick,
                config.getBoolean("save", null, false),
                config.getInt("soak", null, 0, 0),
                list(config.get("frames", null, FrameSets.DEFAULT + "," + FrameSets.BUSY), s -> s),
                List.of(), // below: its default depends on --workers
                config.getInt("other-sets-requests", null, quick ? 6 : 100, 1),
                config.getInt("cold-calls", null, quick ? 3 : 128, 0),
                config.getInt("wire-calls", null, quick ? 2 : 100, 0),
                expectServers(config.get("expect", null, "original")),
                LinkOptions.read(config, quick),
                config.getInt("tls-calls", null, quick ? 2 : 20, 0),
                config.getInt("tls-requests", null, quick ? 4 : 100, 1),
                config.getInt("tls-warmup", null, quick ? 2 : 1000, 0),
                config.getInt("tls-cpu-requests", null, quick ? 4 : 1000, 1),
                ClientTls.read(config));
        options = options.withOtherSetsConcurrency(list(config.get("other-sets-concurrency", null,
                quick ? "1" : "1," + 2 * options.workers()), BenchOptions::positive));
        config.rejectUnknown();
        options.frames().forEach(FrameSets::check);
        if (options.frames().stream().distinct().count() < options.frames().size()) {
            throw new IllegalArgumentException("--frames: each frame set once, please");
        }
        if (options.frames().isEmpty() || options.otherSetsConcurrency().isEmpty()) {
            throw new IllegalArgumentException("--frames and --other-sets-concurrency need at least one value");
        }
        if (options.wireCalls() == 1) {
            throw new IllegalArgumentException("--wire-calls: use 0 (none) or at least 2 (the first call carries"
                    + " the connection's setup, so it is shown apart from the others)");
        }
        if (options.concurrency().isEmpty() || options.sizes().isEmpty()) {
            throw new IllegalArgumentException("--concurrency and --size need at least one value");
        }
        if (options.seconds() > 0 && config.has("requests")) {
            throw new IllegalArgumentException("--requests and --seconds both say how much a cell measures: give one");
        }
        if (options.tls().enabled() && options.startsServers()) {
            throw new IllegalArgumentException("--tls is for servers the benchmark did not start (--rest, --grpc);"
                    + " for its own, the TLS pass measures TLS (--tls-calls)");
        }
        if (options.restUrl() != null && options.restUrl().startsWith("https:") != options.tls().enabled()) {
            throw new IllegalArgumentException(options.tls().enabled() ? "--tls: give --rest as an https:// address"
                    : "--rest " + options.restUrl() + ": an https:// server needs --tls (and --ca FILE for a private CA)");
        }
        if (options.soak() > 0 && !options.startsServers()) {
            throw new IllegalArgumentException("--soak needs servers the benchmark starts itself (it reads"
                    + " their memory from /proc): leave out --rest and --grpc");
        }
        if (options.soak() > 0 && options.seconds() > 0) {
            throw new IllegalArgumentException("--soak counts requests (RSS after 1,000 and after N):"
                    + " leave out --seconds");
        }
        if (options.soak() > 0 && options.soak() < 2000) {
            throw new IllegalArgumentException("--soak: use at least 2000 requests (RSS is compared with the"
                    + " value after the first 1,000)");
        }
        return options;
    }

    private BenchOptions withOtherSetsConcurrency(List<Integer> levels) {
        return new BenchOptions(restUrl, grpcTarget, transports, concurrency, requests, seconds, warmup, firstWarmup,
                sizes, workers, serverArgs, javaOptions, restJar, grpcJar, out, quick, save, soak, frames, levels,
                otherSetsRequests, coldCalls, wireCalls, expectServers, links, tlsCalls, tlsRequests, tlsWarmup,
                tlsCpuRequests, tls);
    }

    private static boolean expectServers(String whose) {
        return switch (whose) {
            case "original" -> false;
            case "servers" -> true;
            default -> throw new IllegalArgumentException("--expect: original or servers, got '" + whose + "'");
        };
    }

    /** In-flight levels for the frame set at this position in --frames. */
    public List<Integer> concurrencyOfSet(int index) {
        return index == 0 ? concurrency : otherSetsConcurrency;
    }

    /** Measured requests per cell for the frame set at this position in --frames. */
    public int requestsOfSet(int index) {
        return index == 0 ? requests : otherSetsRequests;
    }

    /** How much each cell of the frame set at this position measures: "200 requests" or "10 s". */
    public String perCell(int index) {
        return seconds > 0 ? seconds + " s" : requestsOfSet(index) + " requests";
    }

    /** True when the benchmark starts its own servers (neither --rest nor --grpc given). */
    public boolean startsServers() {
        return restUrl == null && grpcTarget == null;
    }

    public int maxConcurrency() {
        return Stream.concat(concurrency.stream(), frames.size() > 1 ? otherSetsConcurrency.stream() : Stream.empty())
                .mapToInt(Integer::intValue).max().orElseThrow();
    }

    /**
     * {@code --server-args "--decode approximate"}: Config would read a value starting with "--" as the
     * next flag, so these options are joined to their value as {@code --server-args=...} first.
     */
    static String[] joinFlagLists(String[] args) {
        List<String> joined = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            boolean takesList = FLAG_LIST_OPTIONS.stream().anyMatch(name -> arg.equals("--" + name));
            if (takesList && i + 1 < args.length) {
                joined.add(arg + "=" + args[++i]);
            } else {
                joined.add(args[i]);
            }
        }
        return joined.toArray(String[]::new);
    }

    private static <T> List<T> list(String text, Function<String, T> parse) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(parse).toList();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    static int positive(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= 256) {
                return value;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--concurrency: expected whole numbers from 1 to 256, got '" + text + "'");
    }
}

package inferbench.bench;

import inferbench.client.transport.RestTransport;
import inferbench.server.ServerSettings;
import inferbench.tls.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The two servers a run measures: started here as separate JVMs with the same options, or
 * given as addresses of servers already running (then nothing is started or stopped).
 */
final class Servers implements AutoCloseable {
    /** Bounded, but long enough for a slow CI machine; the report shows the real figure. */
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private final URI restUrl;
    private final String grpcTarget;
    /** The gRPC server's metrics port: the one given to a server started here, else its default. */
    private int grpcMetricsPort = ServerSettings.DEFAULT_METRICS_PORT;
    private final ClientTls tls;
    private final Map<BenchTransport.Server, ServerProcess> processes = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private final Map<String, Duration> startup = new LinkedHashMap<>();

    private Servers(URI restUrl, String grpcTarget) {
        this(restUrl, grpcTarget, ClientTls.PLAINTEXT);
    }

    private Servers(URI restUrl, String grpcTarget, ClientTls tls) {
        this.restUrl = restUrl;
        this.grpcTarget = grpcTarget;
        this.tls = tls;
    }

    /** Servers already running: nothing to start, nothing known about their settings. */
    static Servers running(BenchOptions options) {
        Servers servers = new Servers(options.restUrl() == null ? null : RestTransport.predictUrl(options.restUrl()),
                options.grpcTarget(), options.tls());
        if (options.restUrl() != null) {
            servers.descriptions.put("REST", "already running at " + options.restUrl()
                    + " (not started by the benchmark: its settings are unknown)");
        }
        if (options.grpcTarget() != null) {
            servers.descriptions.put("gRPC", "already running at " + options.grpcTarget()
                    + " (not started by the benchmark: its settings are unknown)");
        }
        return servers;
    }

    /** Servers at these addresses, such as relays in front of the real ones; nothing to start or stop. */
    static Servers at(URI restUrl, String grpcTarget) {
        return at(restUrl, grpcTarget, ClientTls.PLAINTEXT);
    }

    /** The same, reached with {@code tls} (restUrl then an https address). */
    static Servers at(URI restUrl, String grpcTarget, ClientTls tls) {
        return new Servers(restUrl, grpcTarget, tls);
    }

    /**
     * Starts REST, then gRPC, one after the other, so each startup is timed on an idle machine.
     * Both listen on loopback, log nothing per request, and have a queue no cell can fill.
     */
    static Servers start(BenchOptions options, Path work) throws IOException, InterruptedException {
        int restPort = ServerProcess.freePort();
        int grpcPort = ServerProcess.freePort();
        while (grpcPort == restPort) {
            grpcPort = ServerProcess.freePort();
        }
        Servers servers = new Servers(URI.create("http://127.0.0.1:" + restPort + "/predict"), "127.0.0.1:" + grpcPort);
        try {
            servers.launch(BenchTransport.Server.REST, "REST", restPort, options, work);
            servers.launch(BenchTransport.Server.GRPC, "gRPC", grpcPort, options, work);
            return servers;
        } catch (IOException | InterruptedException | RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    /**
     * One freshly started server of this kind, with the same options as {@link #start}, for a
     * cold start; {@code name} tells its files apart from the others'.
     */
    static Servers startOne(BenchTransport.Server kind, String name, BenchOptions options, Path work)
            throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        Servers servers = kind == BenchTransport.Server.REST
                ? new Servers(URI.create("http://127.0.0.1:" + port + "/predict"), null)
                : new Servers(null, "127.0.0.1:" + port);
        try {
            servers.launch(kind, name, port, options, work);
            return servers;
        } catch (IOException | InterruptedException | RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    /**
     * Servers of the given kinds, started as {@link #start} starts them with {@code flags} added
     * (such as --tls-cert), and reached with {@code tls}; {@code name} ("TLS") tells their files
     * and descriptions apart from the others'.
     */
    static Servers startWith(Set<BenchTransport.Server> kinds, String name, List<String> flags, ClientTls tls,
                             BenchOptions options, Path work) throws IOException, InterruptedException {
        int restPort = ServerProcess.freePort();
        int grpcPort = ServerProcess.freePort();
        while (grpcPort == restPort) {
            grpcPort = ServerProcess.freePort();
        }
        Servers servers = new Servers(
                kinds.contains(BenchTransport.Server.REST) ? URI.create((tls.enabled() ? "https" : "http")
                        + "://127.0.0.1:" + restPort + "/predict") : null,
                kinds.contains(BenchTransport.Server.GRPC) ? "127.0.0.1:" + grpcPort : null, tls);
        try {
            if (servers.restUrl != null) {
                servers.launch(BenchTransport.Server.REST, "REST " + name, restPort, options, work, flags);
            }
            if (servers.grpcTarget != null) {
                servers.launch(BenchTransport.Server.GRPC, "gRPC " + name, grpcPort, options, work, flags);
            }
            return servers;
        } catch (IOException | InterruptedException | RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    private void launch(BenchTransport.Server kind, String name, int port, BenchOptions options, Path work)
            throws IOException, InterruptedException {
        launch(kind, name, port, options, work, List.of());
    }

    private void launch(BenchTransport.Server kind, String name, int port, BenchOptions options, Path work,
                        List<String> flags) throws IOException, InterruptedException {
        Path jar = kind == BenchTransport.Server.REST ? options.restJar() : options.grpcJar();
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--workers", Integer.toString(options.workers()),
                "--queue", Integer.toString(Math.max(64, 4 * options.maxConcurrency())),
                "--access-log", "false"));
        args.addAll(flags);
        if (kind == BenchTransport.Server.GRPC) { // REST serves its metrics on its own port
            grpcMetricsPort = ServerProcess.freePort();
            args.addAll(List.of("--metrics-port", Integer.toString(grpcMetricsPort)));
        }
        args.addAll(options.serverArgs()); // after the above, so they can override them
        List<String> shown = new ArrayList<>(options.javaOptions());
        shown.addAll(List.of("-jar", jar.toString()));
        shown.addAll(args);
        shown.addAll(List.of("--storage", "<temp dir>"));

        String files = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        Path storage = Files.createDirectories(work.resolve(files + "-storage"));
        args.addAll(List.of("--storage", storage.toString()));
        ServerProcess process = ServerProcess.launch(name, jar, options.javaOptions(), args,
                work.resolve(files + ".log"));
        processes.put(kind, process);
        try (HealthProbe probe = kind == BenchTransport.Server.REST ? HealthProbe.rest(restUrl, tls)
                : HealthProbe.grpc(grpcTarget, tls)) {
            startup.put(name, process.awaitHealthy(probe::healthy, STARTUP_LIMIT));
        }
        descriptions.put(name, "started by the benchmark, `java " + String.join(" ", shown) + "`");
    }

    /** True when the benchmark started these servers itself, so it knows their settings. */
    boolean started() {
        return !processes.isEmpty();
    }

    URI restUrl() {
        return restUrl;
    }

    String grpcTarget() {
        return grpcTarget;
    }

    /** How clients reach these servers: {@link ClientTls#PLAINTEXT}, or TLS trusting their CA. */
    ClientTls tls() {
        return tls;
    }

    /** The started process of a server, or null when it was already running. */
    ServerProcess process(BenchTransport.Server server) {
        return processes.get(server);
    }

    /**
     * Where the server's metrics are, or null when it is not measured: REST's {@code /metrics}
     * beside its {@code /predict}, gRPC's on its metrics port, on the same host.
     */
    URI metrics(BenchTransport.Server server) {
        if (!reaches(server)) {
            return null;
        }
        if (server == BenchTransport.Server.REST) {
            return restUrl.resolve("/metrics");
        }
        int colon = grpcTarget.lastIndexOf(':');
        return URI.create("http://" + (colon < 0 ? grpcTarget : grpcTarget.substring(0, colon)) + ":" + grpcMetricsPort
                + "/metrics");
    }

    boolean reaches(BenchTransport.Server server) {
        return server == BenchTransport.Server.REST ? restUrl != null : grpcTarget != null;
    }

    Map<String, String> descriptions() {
        return descriptions;
    }

    Map<String, Duration> startup() {
        return startup;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerProcess process : processes.values()) {
            process.close();
        }
    }
}

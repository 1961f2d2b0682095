package inferbench.bench;

import inferbench.client.transport.RestTransport;
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

/**
 * The two servers a run measures: started here as separate JVMs with the same options, or
 * given as addresses of servers already running (then nothing is started or stopped).
 */
final class Servers implements AutoCloseable {
    /** Bounded, but long enough for a slow CI machine; the report shows the real figure. */
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private final URI restUrl;
    private final String grpcTarget;
    private final Map<BenchTransport.Server, ServerProcess> processes = new LinkedHashMap<>();
    private final Map<String, String> descriptions = new LinkedHashMap<>();
    private final Map<String, Duration> startup = new LinkedHashMap<>();

    private Servers(URI restUrl, String grpcTarget) {
        this.restUrl = restUrl;
        this.grpcTarget = grpcTarget;
    }

    /** Servers already running: nothing to start, nothing known about their settings. */
    static Servers running(BenchOptions options) {
        Servers servers = new Servers(options.restUrl() == null ? null : RestTransport.predictUrl(options.restUrl()),
                options.grpcTarget());
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
        return new Servers(restUrl, grpcTarget);
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

    private void launch(BenchTransport.Server kind, String name, int port, BenchOptions options, Path work)
            throws IOException, InterruptedException {
        Path jar = kind == BenchTransport.Server.REST ? options.restJar() : options.grpcJar();
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--workers", Integer.toString(options.workers()),
                "--queue", Integer.toString(Math.max(64, 4 * options.maxConcurrency())),
                "--access-log", "false"));
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
        try (HealthProbe probe = kind == BenchTransport.Server.REST ? HealthProbe.rest(restUrl)
                : HealthProbe.grpc(grpcTarget)) {
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

    /** The started process of a server, or null when it was already running. */
    ServerProcess process(BenchTransport.Server server) {
        return processes.get(server);
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

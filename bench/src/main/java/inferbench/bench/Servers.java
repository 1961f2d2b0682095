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

    /** Servers already running: nothing to start, and no memory to read. */
    static Servers running(BenchOptions options) {
        Servers servers = new Servers(options.restUrl() == null ? null : RestTransport.predictUrl(options.restUrl()),
                options.grpcTarget());
        if (options.restUrl() != null) {
            servers.descriptions.put("REST", "already running at " + options.restUrl());
        }
        if (options.grpcTarget() != null) {
            servers.descriptions.put("gRPC", "already running at " + options.grpcTarget());
        }
        return servers;
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
            servers.launch("REST", BenchTransport.Server.REST, options.restJar(), restPort, options, work,
                    HealthProbe.rest(servers.restUrl));
            servers.launch("gRPC", BenchTransport.Server.GRPC, options.grpcJar(), grpcPort, options, work,
                    HealthProbe.grpc(servers.grpcTarget));
            return servers;
        } catch (IOException | InterruptedException | RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    private void launch(String name, BenchTransport.Server kind, Path jar, int port, BenchOptions options, Path work,
                        HealthProbe probe) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--workers", Integer.toString(options.workers()),
                "--queue", Integer.toString(Math.max(64, 4 * options.maxConcurrency())),
                "--access-log", "false"));
        args.addAll(options.serverArgs()); // after the above, so they can override them
        List<String> shown = new ArrayList<>(options.javaOptions());
        shown.addAll(List.of("-jar", jar.toString()));
        shown.addAll(args);
        shown.addAll(List.of("--storage", "<temp dir>"));

        Path storage = Files.createDirectories(work.resolve(name.toLowerCase() + "-storage"));
        args.addAll(List.of("--storage", storage.toString()));
        ServerProcess process = ServerProcess.launch(name, jar, options.javaOptions(), args,
                work.resolve(name.toLowerCase() + ".log"));
        processes.put(kind, process);
        try (probe) {
            startup.put(name, process.awaitHealthy(probe::healthy, STARTUP_LIMIT));
        }
        descriptions.put(name, "started by the benchmark, `java " + String.join(" ", shown) + "`");
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

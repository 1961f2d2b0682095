package inferbench.server;

import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.storage.ResultStore;
import inferbench.tls.ClientTls;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What both servers' {@code main} does, written once: read the configuration (or print help,
 * or probe a running server), start, say where it listens, stop gracefully on SIGTERM or
 * SIGINT, and return an exit status a script or a supervisor can treat alike for both. The
 * servers pass in only what differs: their name, how to start them and how to probe them.
 */
public final class ServerMain {
    /** Stopped with every request answered; also --help, and a probe that found the server healthy. */
    public static final int EXIT_OK = 0;
    /** Could not start, had to cut requests off when stopping, or a probe found no healthy server. */
    public static final int EXIT_FAILURE = 1;
    /** The command line or environment is wrong; nothing was started. */
    public static final int EXIT_BAD_CONFIGURATION = 2;

    /** The end of both servers' --help. */
    public static final String EXIT_STATUS_HELP = """
            Exit status: 0 stopped by SIGTERM or SIGINT with every request answered, or --help;
            1 could not start (port in use, cascade or storage unusable), requests still running
            at the end of the stop's grace period were cut off, or --probe found no healthy server;
            2 bad configuration (unknown option, malformed value, unknown --bind host).
            """;

    /** A started server, as the main flow sees it. */
    public interface Server {
        /** Where it listens, as a person would type it: {@code http://0.0.0.0:8001}, {@code 127.0.0.1:50051}. */
        String where();

        /** How it serves TLS, in one line ("TLSv1.3, TLSv1.2 through ...; certificate ..."), or null for plaintext. */
        default String tls() {
            return null;
        }

        /** Requests (gRPC: calls) running or waiting for a worker. */
        int requestsInFlight();

        /**
         * Refuses new requests, closes the connections that have not sent a whole request, lets
         * the admitted requests finish for up to {@code grace}, then cuts off what is left and
         * releases everything. The main flow calls it once.
         *
         * @return true if every admitted request finished within the grace period
         */
        boolean stop(Duration grace);
    }

    /** Builds the server around the pipeline, and starts it. */
    public interface Starter {
        Server start(ServerSettings settings, DetectionPipeline pipeline) throws IOException;
    }

    /** Checks a running server's health, prints one line, returns the exit status. */
    public interface Probe {
        int check(String host, int port, ClientTls tls, PrintStream out);
    }

    /**
     * How long a stop waits for admitted requests, which need tens of milliseconds each (one
     * detection), queued ones included; well inside Kubernetes' default 30 s termination grace.
     */
    public static final Duration GRACE = Duration.ofSeconds(10);

    /** @param name such as {@code server-rest}: the start of every line it prints */
    public record Spec(String name, int defaultPort, String usage, Starter starter, Probe probe) {
    }

    private ServerMain() {
    }

    public static int run(Spec spec, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        ServerSettings settings;
        try {
            Config config = new Config(args, env);
            if (config.has("help")) {
                out.print(spec.usage());
                return EXIT_OK;
            }
            if (config.has("probe")) {
                String host = config.get("host", null, "127.0.0.1");
                int port = (int) config.getLong("port", "PORT", spec.defaultPort(), 1, 65535);
                ClientTls tls = ClientTls.read(config);
                config.rejectUnknown();
                return spec.probe().check(host, port, tls, out);
            }
            settings = ServerSettings.read(config, spec.defaultPort());
            config.rejectUnknown();
        } catch (IllegalArgumentException e) {
            err.println(spec.name() + ": " + e.getMessage());
            return EXIT_BAD_CONFIGURATION;
        }
        try (ResultStore store = new ResultStore(settings.storage())) {
            Server server = spec.starter().start(settings, DetectionPipeline.load(settings.pipeline(), store));
            return serve(spec.name(), settings, server, out, err);
        } catch (IllegalArgumentException e) { // an unknown --bind host is only found when binding
            err.println(spec.name() + ": " + e.getMessage());
            return EXIT_BAD_CONFIGURATION;
        } catch (IOException | UncheckedIOException | IllegalStateException e) { // port, storage, cascade, OpenCV
            err.println(spec.name() + ": " + e.getMessage());
            return EXIT_FAILURE;
        }
    }

    /** Says where it listens, then waits for the stop (a signal, or the JVM exiting) and reports how it went. */
    private static int serve(String name, ServerSettings settings, Server server, PrintStream out, PrintStream err) {
        StopOnce stop = new StopOnce(name, server, err);
        StopSignals.onStop(stop::run);
        // also stops the server when the JVM exits some other way, e.g. System.exit from a library
        Runtime.getRuntime().addShutdownHook(new Thread(stop::run, name + "-stop"));
        out.println(name + " listening on " + server.where() + " (" + settings.workers() + " workers, queue "
                + settings.queue() + ", max body " + settings.limits().maxBodyBytes() + " bytes, storage "
                + settings.storage().directory().toAbsolutePath() + ")");
        if (server.tls() != null) {
            out.println(name + ": " + server.tls());
        }
        boolean drained = stop.awaitStopped();
        err.println(drained ? name + ": stopped"
                : name + ": stopped; requests still running after " + GRACE.toSeconds() + " s were cut off");
        return drained ? EXIT_OK : EXIT_FAILURE;
    }

    /**
     * The one stop of a server, whoever asks first: Ctrl-C in a script often brings SIGINT and
     * SIGTERM together, and the shutdown hook may ask again. Every caller returns once stopped.
     */
    private static final class StopOnce {
        private final String name;
        private final Server server;
        private final PrintStream err;
        private final AtomicBoolean started = new AtomicBoolean();
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile boolean drained;

        StopOnce(String name, Server server, PrintStream err) {
            this.name = name;
            this.server = server;
            this.err = err;
        }

        void run() {
            if (started.compareAndSet(false, true)) {
                err.println(name + ": stopping; " + server.requestsInFlight() + " request(s) in flight get up to "
                        + GRACE.toSeconds() + " s to finish");
                try {
                    drained = server.stop(GRACE);
                } finally {
                    stopped.countDown();
                }
            }
            awaitStopped();
        }

        /** Waits until the stop has finished; true if every admitted request was answered. */
        boolean awaitStopped() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return drained;
        }
    }
}

package inferbench.server;

import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.storage.ResultStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
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

        int requestsInFlight();

        /** Graceful and idempotent; true if every request finished within {@code grace}. */
        boolean stop(Duration grace);

        void blockUntilShutdown();
    }

    /** Builds the server around the pipeline, and starts it. */
    public interface Starter {
        Server start(ServerSettings settings, DetectionPipeline pipeline) throws IOException;
    }

    /** Checks a running server's health, prints one line, returns the exit status. */
    public interface Probe {
        int check(String host, int port, PrintStream out);
    }

    /**
     * @param name  such as {@code server-rest}: the start of every line it prints
     * @param grace how long a stop waits for requests in flight
     */
    public record Spec(String name, int defaultPort, String usage, Duration grace, Starter starter, Probe probe) {
    }

    private ServerMain() {
    }

    public static int run(Spec spec, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        ServerSettings settings;
        Server server;
        try {
            Config config = new Config(args, env);
            if (config.has("help")) {
                out.print(spec.usage());
                return EXIT_OK;
            }
            if (config.has("probe")) {
                String host = config.get("host", null, "127.0.0.1");
                int port = (int) config.getLong("port", "PORT", spec.defaultPort(), 1, 65535);
                config.rejectUnknown();
                return spec.probe().check(host, port, out);
            }
            settings = ServerSettings.read(config, spec.defaultPort());
            config.rejectUnknown();
            DetectionPipeline pipeline = DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage()));
            server = spec.starter().start(settings, pipeline);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println(spec.name() + ": " + e.getMessage());
            return EXIT_BAD_CONFIGURATION;
        } catch (IOException e) {
            err.println(spec.name() + ": " + e.getMessage());
            return EXIT_FAILURE;
        }
        Duration grace = spec.grace();
        AtomicBoolean signalled = new AtomicBoolean(); // Ctrl-C in a script often brings SIGINT and SIGTERM
        StopSignals.onStop(() -> {
            if (signalled.compareAndSet(false, true)) {
                err.println(spec.name() + ": stopping; " + server.requestsInFlight() + " request(s) in flight get up"
                        + " to " + grace.toSeconds() + " s to finish");
            }
            server.stop(grace);
        });
        // also stops the server when the JVM exits some other way, e.g. System.exit from a library
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(grace), spec.name() + "-stop"));
        out.println(spec.name() + " listening on " + server.where() + " (" + settings.workers() + " workers, queue "
                + settings.queue() + ", max body " + settings.limits().maxBodyBytes() + " bytes, storage "
                + settings.storage().directory().toAbsolutePath() + ")");
        server.blockUntilShutdown();
        boolean drained = server.stop(grace); // already stopped: returns how that went
        err.println(drained ? spec.name() + ": stopped"
                : spec.name() + ": stopped; requests still running after " + grace.toSeconds() + " s were cut off");
        return drained ? EXIT_OK : EXIT_FAILURE;
    }
}

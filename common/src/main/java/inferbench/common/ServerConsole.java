package inferbench.common;

import java.time.Duration;

/**
 * What a server main prints and the exit status it returns, in one place so that the REST and
 * the gRPC server start, fail and stop with the same words and the same numbers, and a script
 * or a supervisor can treat them alike.
 */
public final class ServerConsole {
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

    private ServerConsole() {
    }

    /** The one line a server prints once it serves: where, and with what limits. */
    public static String listening(String server, String address, ServerSettings settings) {
        return server + " listening on " + address + " (" + settings.workers() + " workers, queue " + settings.queue()
                + ", max body " + settings.maxBodyBytes() + " bytes, storage " + settings.storage().toAbsolutePath() + ")";
    }

    public static String stopping(String server, int inFlight, Duration grace) {
        return server + ": stopping; " + inFlight + " request(s) in flight get up to " + grace.toSeconds()
                + " s to finish";
    }

    public static String stopped(String server, boolean drained, Duration grace) {
        return drained ? server + ": stopped"
                : server + ": stopped; requests still running after " + grace.toSeconds() + " s were cut off";
    }
}

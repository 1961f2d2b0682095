package inferbench.grpc.limits;

import inferbench.server.ListenAddress;
import io.grpc.Attributes;
import io.grpc.Grpc;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The error log's lines about clients that broke a rule (a malformed message, a stalled upload,
 * a flood of resets): one brief line each, and at most one line per kind every interval
 * ({@link #INTERVAL} in the server, by the given clock), which then says how many like it were
 * left out.
 *
 * <p>A client's mistake is not the server's: a stack trace for each would bury the server's own
 * errors, and a client repeating it in a loop would fill the disk. Every call still has its line,
 * with its status, in the access log.
 */
final class ClientErrorLog {
    static final Duration INTERVAL = Duration.ofSeconds(10);

    private final PrintStream out;
    private final String prefix;
    private final long intervalMillis;
    private final Clock clock;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    /** @param prefix such as {@code "server-grpc: "}, as the server's other lines begin */
    ClientErrorLog(PrintStream out, String prefix, Duration interval, Clock clock) {
        this.out = out;
        this.prefix = prefix;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
    }

    /**
     * Writes {@code line} unless a line of this {@code kind} was written less than an interval
     * ago. Kinds are a fixed set of words from the code, never from a client, so this map stays
     * small.
     */
    void report(String kind, String line) {
        kinds.computeIfAbsent(kind, k -> new Kind()).report(line);
    }

    /** {@code 127.0.0.1:41234 img.Inference/Predict}: the peer and the method, as the access log shows them. */
    static String who(Attributes transport, String method) {
        SocketAddress remote = transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return (remote instanceof InetSocketAddress address ? ListenAddress.hostPort(address) : "-") + " " + method;
    }

    private final class Kind {
        private long nextLine = clock.millis();
        private long leftOut;

        synchronized void report(String line) {
            long now = clock.millis();
            if (now - nextLine < 0) {
                leftOut++;
                return;
            }
            out.println(prefix + "client error: " + line
                    + (leftOut == 0 ? "" : " (" + leftOut + " more like it since the last such line, not shown)"));
            leftOut = 0;
            nextLine = now + intervalMillis;
        }
    }
}

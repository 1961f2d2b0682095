package inferbench.grpc.limits;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A connection that does not speak HTTP/2 at all: grpc-java logs each one as "Transport failed"
 * with a 25-line Netty stack trace (INFO, on {@link #LOGGER}). The usual cause is the client's
 * mistake, not the server's: plain HTTP/1.1 to this port (curl, a browser, a REST client given
 * the gRPC port), or TLS to this plaintext port. Netty has already answered it with a GOAWAY
 * and closed the connection; here it becomes one brief line of the {@link ClientErrorLog},
 * which also bounds how many such lines a client in a loop can cause. Any other transport
 * failure is logged as before.
 */
final class WrongProtocolFilter implements Filter {
    /**
     * grpc-java's logger for connections that end in an error ({@code NettyServerTransport}'s
     * ".connections"). Held here because java.util.logging keeps loggers weakly.
     */
    static final Logger LOGGER =
            Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections");
    /** Netty's words, followed by the request line up to its " HTTP/1.x". */
    private static final String HTTP_1 = "Unexpected HTTP/1.x request: ";
    /** Netty's words, followed by a hex dump of what came instead of the HTTP/2 preface. */
    private static final String NOT_HTTP_2 = "HTTP/2 client preface string missing or corrupt";
    private static final int MAX_QUOTED = 80;

    private final ClientErrorLog errors;

    WrongProtocolFilter(ClientErrorLog errors) {
        this.errors = errors;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String failure = record.getThrown() == null ? null : record.getThrown().getMessage();
        if (failure == null) {
            return true;
        }
        if (failure.startsWith(HTTP_1)) {
            errors.report("HTTP/1.x", "an HTTP/1.x request (" + quoted(failure.substring(HTTP_1.length()).strip())
                    + ") came to this gRPC port, which speaks HTTP/2 only: a REST client or curl given the gRPC"
                    + " port? Answered with a GOAWAY and closed");
            return false;
        }
        if (failure.startsWith(NOT_HTTP_2)) {
            errors.report("not HTTP/2", "a connection sent bytes that are not HTTP/2 (TLS to this plaintext port?):"
                    + " answered with a GOAWAY and closed");
            return false;
        }
        return true;
    }

    /** The client's own words, so printable ASCII only, and short. */
    private static String quoted(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return "\"" + (printable.length() <= MAX_QUOTED ? printable : printable.substring(0, MAX_QUOTED) + "...")
                + "\"";
    }
}

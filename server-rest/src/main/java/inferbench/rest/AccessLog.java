package inferbench.rest;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * One line per request once it is answered: method, target, status, body bytes, milliseconds.
 * {@code POST /predict?save=1 200 212 B 27.4 ms}. A status of "-" means no reply was sent
 * (the client hung up). A request whose body did not arrive in time shows its 408. A connection
 * closed before its request could be read, by a deadline or because every connection thread was
 * taken, gets a line too: {@code - - - - B 10001.2 ms closed: request line and headers not
 * received within 10 s}. Off with {@code --access-log false} when a benchmark must not pay for it.
 */
public final class AccessLog extends Filter {
    private final PrintStream out;

    AccessLog(PrintStream out) {
        this.out = out;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(exchange);
        } finally {
            int status = exchange.getResponseCode();
            // every reply has a fixed length (JsonResponse), which the JDK puts in this header
            String bytes = exchange.getResponseHeaders().getFirst("Content-Length");
            out.println(line(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), status, bytes, (System.nanoTime() - start) / 1e6));
        }
    }

    /** A connection closed without a reply, before its request was read or while its reply was. */
    public void closed(String reason, double millis) {
        out.println(line("-", "-", null, -1, null, millis) + " closed: " + reason);
    }

    static String line(String method, String path, String query, int status, String bytes, double millis) {
        String target = query == null ? path : path + "?" + query;
        return String.format(Locale.ROOT, "%s %s %s %s B %.1f ms", method, target,
                status < 0 ? "-" : Integer.toString(status), bytes == null ? "-" : bytes, millis);
    }

    @Override
    public String description() {
        return "access log: one line per request";
    }
}

package inferbench.rest.limits;

import com.sun.net.httpserver.HttpExchange;
import inferbench.rest.HttpError;
import java.util.List;
import java.util.Map;

/**
 * The request line and headers, checked before anything else is done with a request: their
 * size, their number, and the one header the JDK reads more leniently than HTTP allows.
 *
 * <p>The JDK parses the headers with limits of its own, past which it resets the connection
 * without a word. {@link JdkLimits} sets those as a backstop above the limits here, so a
 * request between the two is answered 431 with the reason (RFC 6585 section 5) and only one
 * beyond the backstop is reset. Sizes are counted as the JDK counts them: each field's name and
 * value plus 32 bytes (the header list size of RFC 9113 section 6.5.2), plus the request line.
 */
public final class RequestHead {
    /** Real requests send well under 1 KiB; browsers' and proxies' own limits are 8 to 16 KiB. */
    public static final int MAX_BYTES = 16 * 1024;
    public static final int MAX_FIELDS = 100;
    /**
     * The JDK's limits (its defaults are 380 KiB and 200 names): above ours, so the 431 comes
     * first, and bounded, because every connection being read may hold this much header text.
     */
    public static final int JDK_MAX_BYTES = 64 * 1024;
    static final int JDK_MAX_FIELDS = 200;

    private RequestHead() {
    }

    static void check(HttpExchange exchange) throws HttpError {
        long bytes = exchange.getRequestMethod().length() + exchange.getRequestURI().toString().length()
                + exchange.getProtocol().length() + 32;
        int fields = 0;
        for (Map.Entry<String, List<String>> field : exchange.getRequestHeaders().entrySet()) {
            for (String value : field.getValue()) {
                bytes += field.getKey().length() + value.length() + 32;
                fields++;
            }
        }
        if (bytes > MAX_BYTES) {
            throw headersTooLarge("request headers are larger than the limit of " + MAX_BYTES + " bytes");
        }
        if (fields > MAX_FIELDS) {
            throw headersTooLarge("more than " + MAX_FIELDS + " request header fields");
        }
        // The JDK reads the length with Long.parseLong, which takes "+43"; a proxy in front may
        // read such a value differently, which is how requests get smuggled.
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && !isDigits(length)) {
            // where the body ends is unknown, so the connection cannot carry another request
            throw new HttpError(400, "invalid Content-Length '" + length + "': digits only (RFC 9110 section 8.6)",
                    Map.of("Connection", "close"));
        }
    }

    /** RFC 6585 section 5; the body is not read, so the connection is closed. */
    private static HttpError headersTooLarge(String detail) {
        return new HttpError(431, detail, Map.of("Connection", "close"));
    }

    /** RFC 9110 section 8.6: {@code Content-Length = 1*DIGIT}. */
    private static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

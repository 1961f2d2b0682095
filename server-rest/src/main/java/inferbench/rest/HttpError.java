package inferbench.rest;

import inferbench.pipeline.DetectionPipeline;
import inferbench.server.RequestLimits;
import java.time.Duration;
import java.util.Map;

/**
 * A request the server refuses: the HTTP status, the detail the client reads in
 * {@code {"detail": "..."}}, and any header that status needs ({@code Allow} for 405,
 * {@code Retry-After} for 503, {@code Connection: close} when the rest of the request is not
 * read). Code anywhere below the routes throws it; {@link JsonResponse#sendError} is the one
 * place that turns it into a reply.
 *
 * <p>It is an answer, not a fault, so it carries no stack trace (cheap to throw, nothing to log).
 * Details follow FastAPI's wording where the original service had one ("Not Found").
 */
final class HttpError extends Exception {
    private final int status;
    private final Map<String, String> headers;

    private HttpError(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    static HttpError badRequest(String detail) {
        return new HttpError(400, detail, Map.of());
    }

    /** Where the body ends is unknown, so the connection cannot carry another request. */
    static HttpError badContentLength(String value) {
        return new HttpError(400, "invalid Content-Length '" + value + "': digits only (RFC 9110 section 8.6)",
                Map.of("Connection", "close"));
    }

    /** The body's framing is broken, or it stopped short: the rest of the stream is not a request. */
    static HttpError malformedBody(String detail) {
        return new HttpError(400, detail, Map.of("Connection", "close"));
    }

    static HttpError notFound() {
        return new HttpError(404, "Not Found", Map.of());
    }

    static HttpError methodNotAllowed(String allowedMethods) {
        return new HttpError(405, "Method Not Allowed", Map.of("Allow", allowedMethods));
    }

    /**
     * The body is not read (or not all of it), so the connection cannot carry another request:
     * it is closed after the reply (RFC 9112 section 9.6).
     */
    static HttpError tooLarge(long limit) {
        return new HttpError(413, "request body is larger than the limit of " + limit + " bytes",
                Map.of("Connection", "close"));
    }

    /** The body did not arrive in time; the rest of it is not waited for (RFC 9110 section 15.5.9). */
    static HttpError requestTimeout(Duration bodyTimeout) {
        return new HttpError(408, "request body not received within " + RequestLimits.seconds(bodyTimeout),
                Map.of("Connection", "close"));
    }

    static HttpError unsupportedMediaType() {
        return new HttpError(415, DetectionPipeline.ONLY_JPEG, Map.of());
    }

    /** RFC 6585 section 5; the body is not read, so the connection is closed. */
    static HttpError headersTooLarge(String detail) {
        return new HttpError(431, detail, Map.of("Connection", "close"));
    }

    /** @param detail {@code WorkerPool.busyMessage()}: the same words as the gRPC server's */
    static HttpError busy(String detail) {
        return new HttpError(503, detail, Map.of("Retry-After", "1"));
    }

    /** Refused in the middle of its body, so the connection is closed. */
    static HttpError bodyMemorySpent(long limit) {
        return new HttpError(503, "server busy: the request bodies in progress hold all of the body memory ("
                + limit + " bytes); retry shortly", Map.of("Retry-After", "1", "Connection", "close"));
    }

    static HttpError shuttingDown() {
        return new HttpError(503, "server is shutting down", Map.of("Retry-After", "1", "Connection", "close"));
    }

    /** What a client sees of a genuine server fault: the details go to the log, not the wire. */
    static HttpError internal() {
        return new HttpError(500, "internal server error", Map.of());
    }

    int status() {
        return status;
    }

    String detail() {
        return getMessage();
    }

    Map<String, String> headers() {
        return headers;
    }

    /** True when the reply ends the connection: the rest of the request is not read. */
    boolean closesConnection() {
        return "close".equalsIgnoreCase(headers.get("Connection"));
    }
}

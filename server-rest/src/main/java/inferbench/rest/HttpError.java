package inferbench.rest;

import inferbench.pipeline.DetectionPipeline;
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
public final class HttpError extends Exception {
    private final int status;
    private final Map<String, String> headers;

    public HttpError(int status, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    static HttpError badRequest(String detail) {
        return new HttpError(400, detail, Map.of());
    }

    /**
     * The body is not read (or not all of it), so the connection cannot carry another request:
     * it is closed after the reply (RFC 9112 section 9.6).
     */
    public static HttpError tooLarge(long limit) {
        return new HttpError(413, "request body is larger than the limit of " + limit + " bytes",
                Map.of("Connection", "close"));
    }

    static HttpError unsupportedMediaType() {
        return new HttpError(415, DetectionPipeline.ONLY_JPEG, Map.of());
    }

    public int status() {
        return status;
    }

    String detail() {
        return getMessage();
    }

    Map<String, String> headers() {
        return headers;
    }
}

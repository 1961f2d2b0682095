package inferbench.metrics;

import java.util.Locale;

/**
 * How a request ended, the same words for both protocols: the {@code outcome} label of
 * {@code inferbench_requests_total}. Each server maps its own endings to these (docs/metrics.md
 * has the table): an HTTP status on REST, a gRPC status (or a stream frame's answer) on gRPC.
 */
public enum Outcome {
    /** Answered with a detection. */
    OK,
    /** Refused for what the client sent: not a JPEG, a broken form or message, no such method. */
    BAD_REQUEST,
    /** Not an image type the servers take (REST 415; gRPC the same words, as INVALID_ARGUMENT). */
    UNSUPPORTED_MEDIA_TYPE,
    /** Over --max-body, or REST headers over their limit. */
    TOO_LARGE,
    /** Refused for capacity: no worker or queue place, the memory of requests arriving, --max-calls. */
    BUSY,
    /** The body or message did not arrive within the server's deadline (--body-timeout). */
    TIMEOUT,
    /** The client left (gave up, or its own deadline passed), or stopped reading, before it was answered. */
    CLIENT_GONE,
    /** Refused or ended because the server was stopping. */
    SHUTTING_DOWN,
    /** A fault of the server's own. */
    INTERNAL;

    /**
     * The first words of every refusal for capacity, on both servers: the worker pool's busy
     * message and the gRPC limits' ("server busy: ..."). gRPC answers a message over the size
     * limit with the same status, RESOURCE_EXHAUSTED, so these words tell the two apart.
     */
    public static final String BUSY_WORDS = "server busy";

    /** The label value: {@code ok}, {@code bad_request}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

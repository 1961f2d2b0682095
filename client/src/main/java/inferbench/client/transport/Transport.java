package inferbench.client.transport;

import java.time.Duration;

/**
 * One way of sending a JPEG frame to a detection server and reading its answer: REST multipart,
 * REST raw body, gRPC unary or gRPC stream. The desktop client and the benchmark both drive the
 * servers through this one interface, so they measure the same protocol code.
 *
 * <p>{@link #send} returns a {@link Reply} whenever the server answered, including a refusal
 * (HTTP 4xx/5xx, a gRPC status sent by the server, a per-frame stream error): those have
 * {@code status "ERROR"} and the server's message in {@code error}. It throws when no answer
 * came: connection refused, timeout (5 s), a call broken off, an unreadable reply.
 *
 * <p>Thread safety differs by transport and is stated on each class: the REST and gRPC unary
 * transports may be shared by many threads with several requests in flight; a gRPC stream
 * transport carries one frame at a time, so a benchmark gives each thread its own.
 */
public interface Transport extends AutoCloseable {
    /** How long a request may take before {@link #send} gives up. */
    Duration TIMEOUT = Duration.ofSeconds(5);

    /** Sends one JPEG and waits for the server's answer; {@code save} asks the server to store it. */
    Reply send(byte[] jpeg, boolean save) throws Exception;

    /** A short label for windows and tables, such as "REST" or "gRPC stream". */
    String name();

    /** Releases connections and threads; the transport cannot be used afterwards. */
    @Override
    void close();
}

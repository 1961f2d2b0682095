package inferbench.client.transport;

import inferbench.config.Config;
import java.time.Duration;

/**
 * One way of sending a JPEG frame to a detection server and reading its answer: REST multipart,
 * REST raw body, gRPC unary or gRPC stream. The desktop client and the benchmark both drive the
 * servers through this one interface, so they measure the same protocol code.
 *
 * <p>{@link #send} returns a {@link Reply} whenever the server answered, including a refusal
 * (HTTP 4xx/5xx, a gRPC status sent by the server, a per-frame stream error): those have
 * {@code status "ERROR"} and the server's message in {@code error}. It throws when no answer
 * came: connection refused, no answer within the time limit, a call broken off, an unreadable reply.
 *
 * <p>Thread safety differs by transport and is stated on each class: the REST and gRPC unary
 * transports may be shared by many threads with several requests in flight; a gRPC stream
 * transport carries one frame at a time, so a benchmark gives each thread its own.
 */
public interface Transport extends AutoCloseable {
    /** How long a request may take unless the transport is given another limit (the client's --timeout). */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** "no answer within 5 s": how every transport words a request that ran out of time. */
    static String noAnswerWithin(Duration timeout) {
        return "no answer within " + Config.seconds(timeout) + " s";
    }

    /** Sends one JPEG and waits for the server's answer; {@code save} asks the server to store it. */
    Reply send(byte[] jpeg, boolean save) throws Exception;

    /** How long a request may take before {@link #send} gives up. */
    Duration timeout();

    /** A short label for windows and tables, such as "REST" or "gRPC stream". */
    String name();

    /** Releases connections and threads; the transport cannot be used afterwards. */
    @Override
    void close();
}

package inferbench.server;

import inferbench.config.Config;
import java.time.Duration;

/**
 * What one client may hold of a server while its request arrives: how big the request may be,
 * how long its parts may take to arrive, and how many connections and idle time it may keep.
 * Both servers read the same flags; where a protocol has no such thing the --help says so.
 *
 * @param maxBodyBytes   the largest request body (REST) or message (gRPC)
 * @param headerTimeout  REST: the request line and headers must arrive within this time of the
 *                       request's first byte; gRPC: a new connection must finish its HTTP/2
 *                       handshake within this time
 * @param bodyTimeout    the body (REST) or the call's message (gRPC) must arrive in full within
 *                       this time after the headers
 * @param idleTimeout    a connection with no request in progress is closed after this time
 * @param maxConnections REST: requests being read or answered at once (a connection thread each; idle
 *                       kept-alive connections do not count); past it, a connection that starts
 *                       another request is closed without an answer
 * @param bodyMemoryBytes REST: the memory all request bodies being received and processed may hold
 *                       together, counted as it is allocated (as bytes arrive); past it a request is
 *                       answered 503 and its connection closed
 * @param maxCallsPerConnection gRPC: calls one connection may have open at once (HTTP/2
 *                       SETTINGS_MAX_CONCURRENT_STREAMS); a client's further calls wait for one to end
 * @param maxCalls       gRPC: calls open at once on the whole server; past it a new call is refused
 *                       with RESOURCE_EXHAUSTED
 * @param messageMemoryBytes gRPC: the most that messages still arriving may hold, all calls together; past
 *                       it the calls whose message has been arriving the longest are ended with
 *                       RESOURCE_EXHAUSTED
 * @param maxConnectionAge gRPC: a connection is asked to go away (GOAWAY) after about this long, and
 *                       its calls get half of it more to finish
 * @param flowWindowBytes gRPC: the HTTP/2 flow-control window, per connection and per call: what a
 *                       client may send ahead of what the server has read
 */
public record RequestLimits(long maxBodyBytes, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout,
                            int maxConnections, long bodyMemoryBytes, int maxCallsPerConnection, int maxCalls,
                            long messageMemoryBytes, Duration maxConnectionAge, int flowWindowBytes) {
    public static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;
    /** Headers are a few hundred bytes: a client that takes 10 s for them is stalled or hostile. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** A 16 MiB body in 20 s needs 0.8 MB/s; a 275 kB webcam frame, 14 kB/s. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(20);
    /** Longer than a client's pause between frames, shorter than a forgotten connection. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    /**
     * Sixteen of the largest bodies at once, or about 900 webcam frames: far more than the
     * workers can process, a small part of a server's memory.
     */
    public static final long DEFAULT_BODY_MEMORY = 256L * 1024 * 1024;
    /** Far more than a client needs (one video stream, a few unary calls); HTTP/2 suggests at least 100. */
    public static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 100;
    /** As many calls as the REST server takes connections. */
    public static final int DEFAULT_MAX_CALLS = 512;
    /** Four messages of the largest size arriving at once, or about 240 webcam frames. */
    public static final long DEFAULT_MESSAGE_MEMORY = 4 * DEFAULT_MAX_BODY;
    /** Long enough that reconnecting costs nothing, short enough that every connection is renewed. */
    public static final Duration DEFAULT_MAX_CONNECTION_AGE = Duration.ofMinutes(30);
    /**
     * Twice a 1920x1080 webcam frame: Netty gives window back once half of it has been read, so
     * a client always has at least 512 KiB to send a frame in one piece. Each connection may
     * hold about a window the server has not counted yet, so a larger window costs memory per
     * connection (docs/protocols.md has both measured).
     */
    public static final int DEFAULT_FLOW_WINDOW = 1024 * 1024;

    /**
     * A deadline as its error messages give it: "20 s", "0.3 s". The header and body deadlines
     * take tenths of a second, which whole seconds would print as "0 s".
     */
    public static String seconds(Duration timeout) {
        return Config.seconds(timeout) + " s";
    }
}

package inferbench.server;

import java.util.Map;

/**
 * What a server's limits say of themselves to whoever watches the server (the metrics), read
 * when asked: how often each limit was hit, and what the requests arriving hold now.
 */
public interface LimitsReport {
    /** Times each limit was hit since the start, by the flag that sets it; every limit is there from the start. */
    Map<String, Long> hits();

    /** Requests being received or answered: REST's connection threads at work, gRPC's calls open. */
    int requestsOpen();

    /** Bytes the requests still arriving hold, counted against --body-memory (REST) or --message-memory (gRPC). */
    long requestMemoryBytes();

    /** True once the server is stopping: what arrives from then on is refused as "shutting down". */
    boolean stopping();
}

package inferbench.grpc.limits;

import inferbench.grpc.GrpcServer;
import inferbench.proto.InferenceGrpc;
import inferbench.server.LimitHits;
import inferbench.server.LimitsReport;
import inferbench.server.RequestLimits;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What one client may hold of the gRPC server, attached to its builder in one call
 * ({@link #attachTo}): its calls ({@link UnfinishedCalls}: how many, how long a message may take
 * to arrive, how much memory the messages still arriving hold), the bytes its connection may have
 * in flight (the HTTP/2 flow-control window), its connection's handshake, idle time and age
 * ({@link ConnectionAge}), its pings and resets, and what a malformed message or a connection
 * that does not speak HTTP/2 gets ({@link RequestParsing}, {@link WrongProtocolFilter}), each
 * reported in one brief line ({@link ClientErrorLog}).
 *
 * <p>grpc-java's own hooks carry them: builder options, a transport filter, a stream tracer and
 * interceptors. A stop ends the calls that have nothing admitted and waits for every call to end
 * ({@link #drain}). What they hold and how often each was hit is theirs to report
 * ({@link LimitsReport}); grpc-java keeps its own (handshakes, pings, resets) to itself.
 */
public final class GrpcLimits implements GrpcServer.Limits, LimitsReport {
    /** The limits a call can hit here, by the flag that sets each (a stream not reading has none). */
    static final String MAX_CALLS = "max_calls";
    static final String MESSAGE_MEMORY = "message_memory";
    static final String BODY_TIMEOUT = "body_timeout";
    static final String NOT_READING = "not_reading";
    static final String MAX_CONNECTION_AGE = "max_connection_age";

    /**
     * A client may ping at most this often, and only while it has calls open; past that grpc
     * ends the connection (GOAWAY ENHANCE_YOUR_CALM). grpc-java's default, stated here.
     */
    static final Duration PERMIT_KEEPALIVE = Duration.ofMinutes(5);
    /** The server pings a connection quiet for this long, to find peers that vanished with calls open. */
    static final Duration KEEPALIVE = Duration.ofMinutes(1);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
    /**
     * HTTP/2 "rapid reset" (CVE-2023-44487): a client that opens and cancels streams in a loop
     * makes the server start work for nothing. More resets than this in {@link #RESET_WINDOW}
     * end the connection. A real client resets a call only when it gives up waiting.
     */
    public static final int MAX_RESETS = 200;
    static final Duration RESET_WINDOW = Duration.ofSeconds(10);
    /** Once every call has ended: how long connections get to close by themselves, then once cut. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    /**
     * grpc logs each message over the size limit as a WARNING with a 40-line stack trace. That is
     * the client's mistake, answered RESOURCE_EXHAUSTED, written to the access log and, briefly,
     * to the error log ({@link UnfinishedCalls}), so this logger only speaks for SEVERE. Held
     * here because java.util.logging keeps loggers weakly.
     */
    private static final Logger GRPC_STREAM_LOG = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

    private final RequestLimits limits;
    private final LimitHits hits = new LimitHits(MAX_CALLS, MESSAGE_MEMORY, BODY_TIMEOUT, NOT_READING,
            MAX_CONNECTION_AGE);
    private final UnfinishedCalls calls;
    private final ConnectionAge connectionAge;
    private final RequestParsing parsing;

    /**
     * @param errorLog where brief lines about misbehaving clients go
     * @param prefix   such as {@code "server-grpc: "}, as the server's other lines begin
     */
    public GrpcLimits(RequestLimits limits, PrintStream errorLog, String prefix) {
        ClientErrorLog clientErrors = new ClientErrorLog(errorLog, prefix, ClientErrorLog.INTERVAL, Clock.systemUTC());
        this.limits = limits;
        this.calls = new UnfinishedCalls(limits, InferenceGrpc.SERVICE_NAME, clientErrors, hits);
        this.connectionAge = new ConnectionAge(limits.maxConnectionAge(), hits);
        this.parsing = new RequestParsing(clientErrors);
        GRPC_STREAM_LOG.setLevel(Level.SEVERE);
        WrongProtocolFilter.LOGGER.setFilter(new WrongProtocolFilter(clientErrors));
    }

    @Override
    public ServerBuilder<?> attachTo(NettyServerBuilder builder) {
        builder
                // A connection that has not finished its HTTP/2 preface and settings by then is closed.
                .handshakeTimeout(limits.headerTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // A connection with no call open for this long gets a GOAWAY and is closed; a
                // client's channel reconnects by itself on its next call.
                .maxConnectionIdle(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAge(connectionAge.age().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(connectionAge.grace().toMillis(), TimeUnit.MILLISECONDS)
                .maxConcurrentCallsPerConnection(limits.maxCallsPerConnection())
                // Fixed (grpc-java's default grows it by BDP probing up to 8 MiB): what each connection
                // may hold uncounted is then known (RequestLimits.DEFAULT_FLOW_WINDOW says why its size).
                .flowControlWindow(limits.flowWindowBytes())
                .keepAliveTime(KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(PERMIT_KEEPALIVE.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(false)
                .maxRstFramesPerWindow(MAX_RESETS, Math.toIntExact(RESET_WINDOW.toSeconds()))
                .addTransportFilter(connectionAge)
                .addStreamTracerFactory(calls)
                // Interceptors run last added first: UnfinishedCalls sees each call before anything else.
                .intercept(connectionAge)
                .intercept(calls);
        return parsing.parsingEveryService(builder);
    }

    /**
     * Ends at once the calls with no admitted work (a message still arriving, a health watch), then
     * waits for the others. Once every call has ended, connections close by themselves as their
     * clients read the last frames: cutting them at once would reset a connection whose client
     * still had frames on the way (a ping's answer), and a reset loses the calls' endings the
     * client had not read yet. Only what is still open after {@link #CLOSE_WAIT} is cut (at once
     * when the time ran out).
     */
    @Override
    public boolean drain(Server server, Duration timeout) {
        calls.stop();
        try {
            boolean drained = calls.awaitAllEnded(timeout);
            if (!drained || !server.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return drained;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
            return false;
        }
    }

    @Override
    public void close() {
        calls.close();
    }

    @Override
    public Map<String, Long> hits() {
        return hits.counts();
    }

    @Override
    public int requestsOpen() {
        return calls.openCount();
    }

    @Override
    public long requestMemoryBytes() {
        return calls.messageBytes();
    }

    @Override
    public boolean stopping() {
        return calls.stopping();
    }
}

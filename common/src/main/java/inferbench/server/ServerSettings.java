package inferbench.server;

import inferbench.config.Config;
import inferbench.pipeline.DecodeMode;
import inferbench.pipeline.PipelineSettings;
import inferbench.storage.StorageSettings;
import inferbench.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The settings both servers share, read with the same flag and variable names, so a REST and a
 * gRPC server started with the same options get the same compute, limits and storage.
 *
 * @param tls the certificate to serve TLS with, or null for plaintext
 */
public record ServerSettings(String bind, int port, int workers, int queue, RequestLimits limits,
                             StorageSettings storage, PipelineSettings pipeline, boolean accessLog,
                             TlsSettings tls, int metricsPort) {

    /** Loopback: a service that writes files reaches the network only when asked (--bind 0.0.0.0). */
    public static final String DEFAULT_BIND = "127.0.0.1";
    /** The Prometheus Java client's own default, so an exporter port is where its users look first. */
    public static final int DEFAULT_METRICS_PORT = 9464;

    public static String usage(int defaultPort) {
        return """
                  --port N          listen port (PORT, default %d)
                  --bind ADDR       bind address (BIND_ADDRESS, default 127.0.0.1; 0.0.0.0 for every
                                    interface)
                  --workers N       detection threads (WORKERS, default: one per core)
                  --queue N         requests allowed to wait for a worker before the server answers
                                    "busy" (QUEUE_SIZE, default 2 x workers)
                  --max-body BYTES  largest request body or gRPC message (MAX_BODY_BYTES, default 16777216)
                  --max-pixels N    largest JPEG frame, width x height (MAX_PIXELS, default 16777216,
                                    4096 x 4096)
                  --header-timeout S  REST: seconds (0.5 allowed) for a request's line and headers;
                                    gRPC: for a new connection's HTTP/2 handshake (HEADER_TIMEOUT,
                                    default 10)
                  --body-timeout S  seconds (0.5 allowed) for the body (REST) or message (gRPC) to
                                    arrive after the headers (BODY_TIMEOUT, default 20)
                  --idle-timeout S  seconds a connection may stay open with no request in progress
                                    (IDLE_TIMEOUT, default 30)
                  --max-connections N  REST: requests being read or answered at once; past it a
                                    connection that starts another request is closed (MAX_CONNECTIONS,
                                    default 512)
                  --body-memory BYTES  REST: the memory all request bodies in progress may hold together,
                                    at least 2 x --max-body; past it a request gets 503 (BODY_MEMORY,
                                    default 268435456, or 2 x --max-body if that is more)
                  --max-calls-per-connection N  gRPC: calls open at once on one connection; the client's
                                    further calls wait (MAX_CALLS_PER_CONNECTION, default 100)
                  --max-calls N     gRPC: calls open at once on the server, past which new ones are
                                    refused with RESOURCE_EXHAUSTED (MAX_CALLS, default 512)
                  --message-memory BYTES  gRPC: the most that messages still arriving may hold together,
                                    at least --max-body; past it the call whose message has been arriving
                                    the longest is ended with RESOURCE_EXHAUSTED (MESSAGE_MEMORY, default
                                    67108864, or --max-body if that is more)
                  --max-connection-age S  gRPC: seconds after which a connection is asked to go away
                                    (GOAWAY, +-10%%); its calls get half of that more to finish
                                    (MAX_CONNECTION_AGE, default 1800)
                  --flow-window BYTES  gRPC: the HTTP/2 flow-control window per connection and call; a
                                    frame up to half of it goes in one round trip, and each connection
                                    may hold about that much more memory (FLOW_WINDOW, default 1048576)
                  --storage DIR     where saved images and records.csv go (STORAGE_DIR, default storage)
                  --max-storage BYTES  the most saved files may take; saving stops there
                                    (STORAGE_MAX_BYTES, default 1073741824)
                  --time-zone ZONE  zone for file names and records.csv (STORAGE_TZ, default: system zone)
                  --cascade FILE    Haar cascade XML (CASCADE, default: the bundled frontal-face cascade)
                  --decode MODE     exact: colour, crop, resize, then grey, the original's path and
                                    answers; approximate: straight to grey, faster, answers may differ
                                    (DECODE_MODE, default exact)
                  --opencv-threads N  OpenCV's own threads per detection, 0 = one per core
                                    (OPENCV_THREADS, default 0)
                  --access-log B    one log line per request, true or false (ACCESS_LOG, default true)
                  --metrics-port N  Prometheus metrics at GET /metrics: gRPC on an HTTP port of its own,
                                    on --bind; REST on its own port, whatever N; 0 turns them off on
                                    both (METRICS_PORT, default 9464)
                """.formatted(defaultPort) + TlsSettings.USAGE;
    }

    public static ServerSettings read(Config config, int defaultPort) {
        int workers = config.getInt("workers", "WORKERS", Runtime.getRuntime().availableProcessors(), 1);
        String cascade = config.get("cascade", "CASCADE", null);
        String zone = config.get("time-zone", "STORAGE_TZ", null);
        long maxBody = config.getLong("max-body", "MAX_BODY_BYTES", RequestLimits.DEFAULT_MAX_BODY, 1024,
                Integer.MAX_VALUE - 8);
        RequestLimits limits = new RequestLimits(
                maxBody,
                deadline(config, "header-timeout", "HEADER_TIMEOUT", RequestLimits.DEFAULT_HEADER_TIMEOUT),
                deadline(config, "body-timeout", "BODY_TIMEOUT", RequestLimits.DEFAULT_BODY_TIMEOUT),
                seconds(config, "idle-timeout", "IDLE_TIMEOUT", RequestLimits.DEFAULT_IDLE_TIMEOUT),
                config.getInt("max-connections", "MAX_CONNECTIONS", RequestLimits.DEFAULT_MAX_CONNECTIONS, 1),
                config.getLong("body-memory", "BODY_MEMORY", Math.max(RequestLimits.DEFAULT_BODY_MEMORY, 2 * maxBody),
                        1024, Long.MAX_VALUE),
                config.getInt("max-calls-per-connection", "MAX_CALLS_PER_CONNECTION",
                        RequestLimits.DEFAULT_MAX_CALLS_PER_CONNECTION, 1),
                config.getInt("max-calls", "MAX_CALLS", RequestLimits.DEFAULT_MAX_CALLS, 1),
                config.getLong("message-memory", "MESSAGE_MEMORY", Math.max(RequestLimits.DEFAULT_MESSAGE_MEMORY, maxBody),
                        1024, Long.MAX_VALUE),
                Duration.ofSeconds(config.getLong("max-connection-age", "MAX_CONNECTION_AGE",
                        RequestLimits.DEFAULT_MAX_CONNECTION_AGE.toSeconds(), 1, Duration.ofDays(30).toSeconds())),
                // HTTP/2's smallest window, and its largest (RFC 9113 section 6.9.1)
                (int) config.getLong("flow-window", "FLOW_WINDOW", RequestLimits.DEFAULT_FLOW_WINDOW, 65535,
                        Integer.MAX_VALUE));
        if (limits.bodyMemoryBytes() < 2 * maxBody) {
            // a body's buffer grows by doubling as bytes arrive: its last step holds both buffers
            throw new IllegalArgumentException("--body-memory / BODY_MEMORY: " + limits.bodyMemoryBytes()
                    + " is less than twice --max-body (" + maxBody + "), so the largest bodies could never be received");
        }
        if (limits.messageMemoryBytes() < maxBody) {
            throw new IllegalArgumentException("--message-memory / MESSAGE_MEMORY: " + limits.messageMemoryBytes()
                    + " is less than --max-body (" + maxBody + "), so the largest messages could never be received");
        }
        StorageSettings storage = new StorageSettings(
                Path.of(config.get("storage", "STORAGE_DIR", "storage")),
                config.getLong("max-storage", "STORAGE_MAX_BYTES", StorageSettings.DEFAULT_MAX_BYTES, 0, Long.MAX_VALUE),
                zone == null ? ZoneId.systemDefault() : parseZone(zone));
        PipelineSettings pipeline = new PipelineSettings(
                cascade == null ? null : Path.of(cascade),
                config.getLong("max-pixels", "MAX_PIXELS", PipelineSettings.DEFAULT_MAX_PIXELS, 1, Long.MAX_VALUE),
                DecodeMode.parse(config.get("decode", "DECODE_MODE", DecodeMode.EXACT.flag)),
                config.getInt("opencv-threads", "OPENCV_THREADS", 0, 0));
        return new ServerSettings(
                config.get("bind", "BIND_ADDRESS", DEFAULT_BIND),
                (int) config.getLong("port", "PORT", defaultPort, 0, 65535),
                workers,
                config.getInt("queue", "QUEUE_SIZE", 2 * workers, 0),
                limits,
                storage,
                pipeline,
                config.getBoolean("access-log", "ACCESS_LOG", true),
                TlsSettings.read(config),
                (int) config.getLong("metrics-port", "METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65535));
    }

    /** A deadline may be a fraction of a second ("0.5"), to the tenth of a second the servers check it to. */
    private static Duration deadline(Config config, String flag, String envName, Duration defaultValue) {
        return config.getSeconds(flag, envName, defaultValue, Duration.ofMillis(100), Duration.ofHours(1));
    }

    /** Whole seconds: the JDK's HttpServer counts its idle interval in seconds. */
    private static Duration seconds(Config config, String flag, String envName, Duration defaultValue) {
        return Duration.ofSeconds(config.getLong(flag, envName, defaultValue.toSeconds(), 1, 3600));
    }

    private static ZoneId parseZone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--time-zone / STORAGE_TZ: unknown time zone '" + zone
                    + "' (use a region like Europe/Paris or an offset like +02:00)");
        }
    }
}

package inferbench.server;

import inferbench.config.Config;
import inferbench.pipeline.DecodeMode;
import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.FaceDetector;
import inferbench.storage.ResultStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import org.opencv.core.Core;

/**
 * The settings both servers share, read with the same flag and variable names, so a REST and a
 * gRPC server started with the same options get the same compute, limits and storage.
 */
public record ServerSettings(String bind, int port, int workers, int queue, long maxBodyBytes, long maxPixels,
                             Path storage, Path cascade, ZoneId timeZone, boolean accessLog,
                             DecodeMode decode, int openCvThreads) {

    public static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;

    public static String usage(int defaultPort) {
        return """
                  --port N          listen port (PORT, default %d)
                  --bind ADDR       bind address (BIND_ADDRESS, default 0.0.0.0)
                  --workers N       detection threads (WORKERS, default: one per core)
                  --queue N         requests allowed to wait for a worker before the server answers
                                    "busy" (QUEUE_SIZE, default 2 x workers)
                  --max-body BYTES  largest request accepted (MAX_BODY_BYTES, default 16777216)
                  --max-pixels N    largest JPEG frame, width x height (MAX_PIXELS, default 50000000)
                  --storage DIR     where saved images and records.csv go (STORAGE_DIR, default storage)
                  --cascade FILE    Haar cascade XML (CASCADE, default: the bundled frontal-face cascade)
                  --time-zone ZONE  zone for file names and records.csv (STORAGE_TZ, default: system zone)
                  --access-log B    one log line per request, true or false (ACCESS_LOG, default true)
                  --decode MODE     grey: decode straight to grey when not saving; color: the
                                    original's path (DECODE_MODE, default grey)
                  --opencv-threads N  OpenCV's own threads per detection, 0 = one per core
                                    (OPENCV_THREADS, default 0)
                """.formatted(defaultPort);
    }

    public static ServerSettings read(Config config, int defaultPort) {
        int workers = config.getInt("workers", "WORKERS", Runtime.getRuntime().availableProcessors(), 1);
        String cascade = config.get("cascade", "CASCADE", null);
        String zone = config.get("time-zone", "STORAGE_TZ", null);
        return new ServerSettings(
                config.get("bind", "BIND_ADDRESS", "0.0.0.0"),
                (int) config.getLong("port", "PORT", defaultPort, 0, 65535),
                workers,
                config.getInt("queue", "QUEUE_SIZE", 2 * workers, 0),
                config.getLong("max-body", "MAX_BODY_BYTES", DEFAULT_MAX_BODY, 1024, Integer.MAX_VALUE - 8),
                config.getLong("max-pixels", "MAX_PIXELS", DetectionPipeline.DEFAULT_MAX_PIXELS, 1, Long.MAX_VALUE),
                Path.of(config.get("storage", "STORAGE_DIR", "storage")),
                cascade == null ? null : Path.of(cascade),
                zone == null ? ZoneId.systemDefault() : parseZone(zone),
                config.getBoolean("access-log", "ACCESS_LOG", true),
                DecodeMode.parse(config.get("decode", "DECODE_MODE", "grey")),
                config.getInt("opencv-threads", "OPENCV_THREADS", 0, 0));
    }

    /** Loads OpenCV and the cascade and opens the storage: everything that can fail at startup. */
    public DetectionPipeline buildPipeline() {
        FaceDetector detector = new FaceDetector(cascade);
        if (openCvThreads > 0) {
            Core.setNumThreads(openCvThreads); // process-wide; OpenCV's default is one thread per core
        }
        return new DetectionPipeline(detector, new ResultStore(storage, Clock.system(timeZone)), maxPixels, decode);
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

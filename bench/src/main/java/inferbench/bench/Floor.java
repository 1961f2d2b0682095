package inferbench.bench;

import inferbench.config.Config;
import inferbench.pipeline.DecodeMode;
import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.DetectionResult;
import inferbench.pipeline.InvalidImageException;
import inferbench.pipeline.PipelineSettings;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The best the servers could do: the shared pipeline called in this JVM with the same frames,
 * the same server options and no network. It also gives each frame's expected answer, always
 * from the original's path unless asked otherwise: a server started with
 * {@code --decode approximate} is measured against the answers the original gives, not against
 * its own shortcut's.
 *
 * <p>A server runs at most {@code workers} detections at once whatever the number of requests
 * in flight, so the floor for concurrency N uses min(N, workers) threads: the work a server
 * with that many workers could do with nothing in its way.
 */
final class Floor {
    static final int TIMING_RUNS = 5;

    private final DetectionPipeline pipeline;
    /** The answers every server must give: the original's path, whatever the servers' --decode (unless --expect servers). */
    private final DetectionPipeline original;
    private final DecodeMode decode;
    private final int workers;
    private final boolean save;

    private Floor(DetectionPipeline pipeline, DetectionPipeline original, DecodeMode decode, int workers, boolean save) {
        this.pipeline = pipeline;
        this.original = original;
        this.decode = decode;
        this.workers = workers;
        this.save = save;
    }

    /**
     * Reads the servers' own options (flags, then the same environment variables), so the floor
     * gets the settings the servers get.
     */
    static Floor of(List<String> serverArgs, int workers, Path storage, boolean save, boolean expectServers) {
        List<String> args = new ArrayList<>(serverArgs);
        args.addAll(List.of("--workers", Integer.toString(workers), "--storage", storage.toString()));
        ServerSettings settings = ServerSettings.read(new Config(args.toArray(String[]::new), System.getenv()), 0);
        ResultStore store = new ResultStore(settings.storage());
        PipelineSettings servers = settings.pipeline();
        DetectionPipeline pipeline = DetectionPipeline.load(servers, store);
        DetectionPipeline original = servers.decode() == DecodeMode.EXACT || expectServers ? pipeline
                : DetectionPipeline.load(new PipelineSettings(servers.cascade(), servers.maxPixels(), DecodeMode.EXACT,
                        servers.openCvThreads()), store);
        return new Floor(pipeline, original, servers.decode(), settings.workers(), save);
    }

    /** How the servers started with these options decode, and so the floor times. */
    DecodeMode decode() {
        return decode;
    }

    int threads(int concurrency) {
        return Math.min(concurrency, workers);
    }

    /** What every server must answer for this frame. */
    Expected answer(byte[] jpeg) {
        return Expected.of(process(original, jpeg));
    }

    /** The pipeline's own time for this frame, the median of {@link #TIMING_RUNS} runs in a row. */
    double inProcessMs(byte[] jpeg) {
        double[] times = new double[TIMING_RUNS];
        for (int i = 0; i < times.length; i++) {
            times[i] = process(pipeline, jpeg).latencyMs();
        }
        return Stats.median(times);
    }

    private static DetectionResult process(DetectionPipeline pipeline, byte[] jpeg) {
        try {
            return pipeline.process(jpeg, false, "floor");
        } catch (InvalidImageException e) {
            throw new IllegalArgumentException("the pipeline refused a benchmark frame: " + e.getMessage(), e);
        }
    }

    Sender.Factory senders(Frames frames) {
        return () -> ticket -> {
            DetectionResult result = pipeline.process(frames.forTicket(ticket).jpeg(), save, "floor");
            return new Sender.Answer(result.latencyMs(), 0, 0, result.saveError(), "");
        };
    }
}

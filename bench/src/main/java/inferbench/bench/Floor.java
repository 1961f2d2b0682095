package inferbench.bench;

import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.DetectionResult;
import inferbench.pipeline.InvalidImageException;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The best the servers could do: the shared pipeline called in this JVM with the same frames,
 * the same server options and no network.
 *
 * <p>A server runs at most {@code workers} detections at once whatever the number of requests
 * in flight, so the floor for concurrency N uses min(N, workers) threads: the work a server
 * with that many workers could do with nothing in its way.
 */
final class Floor {
    static final int TIMING_RUNS = 5;

    private final DetectionPipeline pipeline;
    private final int workers;
    private final boolean save;

    private Floor(DetectionPipeline pipeline, int workers, boolean save) {
        this.pipeline = pipeline;
        this.workers = workers;
        this.save = save;
    }

    /**
     * Reads the servers' own options (flags, then the same environment variables), so the floor
     * gets the settings the servers get.
     */
    static Floor of(List<String> serverArgs, int workers, Path storage, boolean save) {
        List<String> args = new ArrayList<>(serverArgs);
        args.addAll(List.of("--workers", Integer.toString(workers), "--storage", storage.toString()));
        ServerSettings settings = ServerSettings.read(new Config(args.toArray(String[]::new), System.getenv()), 0);
        return new Floor(DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage())), settings.workers(), save);
    }

    int threads(int concurrency) {
        return Math.min(concurrency, workers);
    }

    /** The answer the pipeline gives this frame: what every server must answer for it. */
    Expected answer(byte[] jpeg) {
        return Expected.of(process(jpeg));
    }

    /** The pipeline's own time for this frame, the median of {@link #TIMING_RUNS} runs in a row. */
    double inProcessMs(byte[] jpeg) {
        double[] times = new double[TIMING_RUNS];
        for (int i = 0; i < times.length; i++) {
            times[i] = process(jpeg).latencyMs();
        }
        return Stats.median(times);
    }

    private DetectionResult process(byte[] jpeg) {
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

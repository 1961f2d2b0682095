package inferbench.metrics;

import inferbench.server.LimitsReport;
import inferbench.server.WorkerPool;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The metrics of one server, under the names both servers share, each with the label
 * {@code protocol} ("rest" or "grpc"), in a registry of its own (tests run several servers in one
 * JVM), with the JVM's and the process's own metrics beside them. docs/metrics.md lists them.
 *
 * <p>Each server's metrics (inferbench.rest.metrics, inferbench.grpc.metrics) tell it how each
 * request ended and, as the worker pool's observer, what each detection took and found; the
 * pool's and the limits' state is read when Prometheus scrapes. Every counter and histogram is
 * created at zero, so a rate is defined from the first scrape.
 */
public final class ServerMetrics {
    /**
     * Histogram buckets in seconds, 1 ms to 2 s: 5 ms apart from 5 to 50 ms, around a frame's usual
     * 20 to 40 ms, so a quantile is known to within a few milliseconds there; coarser where a
     * request is slow, finer for a wait for a worker, usually under a millisecond.
     */
    public static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.045,
        0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2};
    /** Request sizes, 1 KiB to the 16 MiB of --max-body's default, by powers of 4: a webcam frame is 100 to 500 kB. */
    public static final double[] BYTES = {1 << 10, 1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20, 1 << 22, 1 << 24};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String protocol;
    private final Map<Outcome, CounterDataPoint> requests = new EnumMap<>(Outcome.class);
    private final DistributionDataPoint duration;
    private final DistributionDataPoint queueWait;
    private final DistributionDataPoint detection;
    private final DistributionDataPoint requestSize;
    private final CounterDataPoint faces;
    private final CounterDataPoint saved;
    private final CounterDataPoint saveErrors;

    /** What a detection found, read from what its task returned: the protocol's answer. */
    public record Found(int faces, boolean saved, boolean saveFailed) {
    }

    /** @param protocol the {@code protocol} label: "rest" or "grpc" */
    public ServerMetrics(String protocol, LimitsReport limits) {
        this.protocol = protocol;
        Counter requestCount = Counter.builder().name("inferbench_requests_total")
                .help("Requests by how they ended (docs/metrics.md); a gRPC stream counts each frame")
                .labelNames("protocol", "outcome").register(registry);
        for (Outcome outcome : Outcome.values()) {
            requests.put(outcome, requestCount.labelValues(protocol, outcome.label()));
        }
        duration = seconds("inferbench_request_duration_seconds",
                "From a request's headers (a stream frame's first byte) to its answer, refusals included");
        queueWait = seconds("inferbench_queue_wait_seconds", "Admitted detections' wait for a worker");
        detection = seconds("inferbench_detection_seconds", "The detection pipeline on a worker, saving included");
        requestSize = Histogram.builder().name("inferbench_request_size_bytes").unit(Unit.BYTES)
                .help("Bodies (REST) and messages (gRPC) received in full").classicOnly()
                .classicUpperBounds(BYTES).withoutExemplars().labelNames("protocol").register(registry)
                .labelValues(protocol);
        faces = counter("inferbench_faces_detected_total", "Faces found in the frames answered");
        saved = counter("inferbench_saved_frames_total", "Frames saved to storage, with their records.csv row");
        saveErrors = counter("inferbench_save_errors_total", "Frames that were to be saved and were not (full disk,"
                + " --max-storage)");
        GaugeWithCallback.builder().name("inferbench_requests_open")
                .help("Requests being received or answered: REST connection threads at work, gRPC calls open")
                .labelNames("protocol").callback(gauge -> gauge.call(limits.requestsOpen(), protocol))
                .register(registry);
        GaugeWithCallback.builder().name("inferbench_request_memory_bytes").unit(Unit.BYTES)
                .help("What the requests still arriving hold, against --body-memory (REST) or --message-memory (gRPC)")
                .labelNames("protocol").callback(gauge -> gauge.call(limits.requestMemoryBytes(), protocol))
                .register(registry);
        CounterWithCallback.builder().name("inferbench_limit_hits_total")
                .help("Times each limit was hit, by its flag: requests refused, ended or closed by it")
                .labelNames("protocol", "limit")
                .callback(counter -> limits.hits().forEach((limit, hits) -> counter.call(hits, protocol, limit)))
                .register(registry);
        JvmMetrics.builder().register(registry); // memory, GC, threads, and the process's CPU, open files, RSS
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The {@code protocol} label of every metric here. */
    public String protocol() {
        return protocol;
    }

    /** A request has ended. */
    public void request(Outcome outcome, long nanos) {
        requests.get(outcome).inc();
        duration.observe(nanos / 1e9);
    }

    /** A request's body or message was received in full. */
    public void received(long bytes) {
        requestSize.observe(bytes);
    }

    /**
     * Watches the server's worker pool: the detections in flight, and of each one its wait for a
     * worker, its own time, and what it found, read by {@code found} from what it returned (null:
     * nothing to count).
     */
    public void watch(WorkerPool workers, Function<Object, Found> found) {
        GaugeWithCallback.builder().name("inferbench_requests_in_flight")
                .help("Detections admitted to the worker pool, running or waiting for a worker")
                .labelNames("protocol").callback(gauge -> gauge.call(workers.inFlight(), protocol)).register(registry);
        workers.observe((waitedNanos, ranNanos, result) -> ran(waitedNanos, ranNanos,
                result == null ? null : found.apply(result)));
    }

    /** A detection has run on a worker: its wait, its own time, and what it found (null: nothing to count). */
    public void ran(long waitedNanos, long ranNanos, Found found) {
        queueWait.observe(waitedNanos / 1e9);
        detection.observe(ranNanos / 1e9);
        if (found != null) {
            faces.inc(found.faces());
            if (found.saved()) {
                saved.inc();
            }
            if (found.saveFailed()) {
                saveErrors.inc();
            }
        }
    }

    private DistributionDataPoint seconds(String name, String help) {
        return Histogram.builder().name(name).unit(Unit.SECONDS).help(help).classicOnly()
                .classicUpperBounds(SECONDS).withoutExemplars().labelNames("protocol").register(registry)
                .labelValues(protocol);
    }

    private CounterDataPoint counter(String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("protocol").register(registry).labelValues(protocol);
    }
}

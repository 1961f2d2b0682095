package inferbench.rest;

import inferbench.config.Config;
import inferbench.json.JsonReader;
import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.OpenCv;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A real RestServer, its limits attached as in production, on an ephemeral loopback port with its
 * own storage directory, plus an HTTP/1.1 client for it. Extra flags override the defaults (the
 * later flag wins).
 */
final class TestServer implements AutoCloseable {
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    final RestServer server;
    final DetectionPipeline pipeline;
    final Path storage;
    private final AtomicBoolean closed = new AtomicBoolean();
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestServer(RestServer server, DetectionPipeline pipeline, Path storage) {
        this.server = server;
        this.pipeline = pipeline;
        this.storage = storage;
    }

    static TestServer start(Path storage, String... flags) throws IOException {
        return start(storage, System.out, flags);
    }

    static TestServer start(Path storage, PrintStream accessLog, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0",
                "--storage", storage.toString(), "--access-log", "false"));
        args.addAll(List.of(flags));
        ServerSettings settings = ServerSettings.read(new Config(args.toArray(String[]::new), Map.of()), 0);
        DetectionPipeline pipeline = DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage()));
        return new TestServer(RestServerMain.start(settings, pipeline, accessLog), pipeline, storage);
    }

    /**
     * A 320x240 frame without a face, 6 kB: for tests where the frame does not matter, since a
     * face costs the detector ten times the time of an empty frame.
     */
    static byte[] smallJpeg() {
        OpenCv.load();
        Mat frame = SampleFrames.noFaceFrame();
        Mat small = new Mat();
        try {
            Imgproc.resize(frame, small, new Size(320, 240));
            return SampleFrames.encodeJpeg(small, 80);
        } finally {
            frame.release();
            small.release();
        }
    }

    /**
     * A 4096 x 4096 frame (1.3 MB): its detection takes hundreds of milliseconds, long enough to
     * hold a worker while a test looks. Made once per JVM (making it takes a second or two).
     */
    static byte[] bigJpeg() {
        return BigFrame.JPEG;
    }

    private static final class BigFrame {
        static final byte[] JPEG = make();

        private static byte[] make() {
            Mat frame = SampleFrames.faceFrame(4096, 4096);
            try {
                return SampleFrames.encodeJpeg(frame, 90);
            } finally {
                frame.release();
            }
        }
    }

    int port() {
        return server.address().getPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        return JsonReader.parseObject(response.body());
    }

    /** Waits (bounded by the test's timeout) for a condition on the server's state, not for a time. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(5);
        }
    }

    /** Stops the server unless a test already has (the server itself is stopped once, by ServerMain). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    /** For a test that stops the server itself: returns what {@link RestServer#stop} returned. */
    boolean stop(Duration grace) {
        closed.set(true);
        return server.stop(grace);
    }
}

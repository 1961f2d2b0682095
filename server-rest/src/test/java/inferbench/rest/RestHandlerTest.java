package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
import inferbench.storage.ResultStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST handler alone, as the JDK's own simple server is put together: {@link Routes} with
 * {@code POST /predict} on a plain {@link HttpServer}, no limits, and the JDK's HttpClient
 * sending it the sample photo.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RestHandlerTest {
    private final WorkerPool workers = new WorkerPool(1, 1, "plain-worker-");
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer http;

    @BeforeEach
    void start(@TempDir Path storage) throws Exception {
        ServerSettings settings = ServerSettings.read(new Config(new String[] {"--storage", storage.toString()},
                Map.of()), RestServer.DEFAULT_PORT);
        DetectionPipeline pipeline = DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage()));
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", new Routes(settings.limits().maxBodyBytes())
                .add("POST", "/predict", new PredictHandler(pipeline, workers)));
        http.setExecutor(threads);
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
        threads.shutdownNow();
        workers.shutdown(Duration.ZERO);
    }

    @Test
    void predictFindsTheFaceOnTheSamplePhoto() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getAddress().getPort()
                        + "/predict"))
                .header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SampleFrames.faceJpeg()))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(List.of(List.of(244.8, 91.2, 141.6, 141.6)), TestServer.json(response).get("boxes"));
    }
}

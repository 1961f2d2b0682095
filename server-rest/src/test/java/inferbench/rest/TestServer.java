package inferbench.rest;

import inferbench.config.Config;
import inferbench.json.JsonReader;
import inferbench.pipeline.DetectionPipeline;
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

/**
 * A real RestServer on an ephemeral loopback port with its own storage directory, plus an
 * HTTP/1.1 client for it. Extra flags override the defaults (the later flag wins).
 */
final class TestServer implements AutoCloseable {
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    final RestServer server;
    final DetectionPipeline pipeline;
    final Path storage;
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
        RestServer server = new RestServer(settings, pipeline, accessLog);
        server.start();
        return new TestServer(server, pipeline, storage);
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

    @Override
    public void close() throws InterruptedException {
        server.stop(Duration.ofSeconds(5));
    }
}

package inferbench.client.transport;

import inferbench.config.Config;
import inferbench.grpc.GrpcServer;
import inferbench.grpc.GrpcServerMain;
import inferbench.pipeline.DetectionPipeline;
import inferbench.rest.RestServer;
import inferbench.rest.RestServerMain;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real REST and gRPC servers, in this JVM on loopback ports, sharing one pipeline. */
public final class TestServers implements AutoCloseable {
    public final DetectionPipeline pipeline;
    public final RestServer rest;
    public final GrpcServer grpc;

    private TestServers(DetectionPipeline pipeline, RestServer rest, GrpcServer grpc) {
        this.pipeline = pipeline;
        this.rest = rest;
        this.grpc = grpc;
    }

    /** Both servers on ports the system chooses. */
    public static TestServers start(Path storage) throws Exception {
        return start(storage, 0, 0);
    }

    public static TestServers start(Path storage, int restPort, int grpcPort) throws Exception {
        ServerSettings rest = settings(storage, restPort);
        return start(DetectionPipeline.load(rest.pipeline(), new ResultStore(rest.storage())), storage, restPort,
                grpcPort);
    }

    /**
     * Servers on the given ports around a pipeline already loaded, which loading again would only
     * slow down; {@code flags} are more server flags, such as --tls-cert.
     */
    public static TestServers start(DetectionPipeline pipeline, Path storage, int restPort, int grpcPort,
                                    String... flags) throws Exception {
        ServerSettings rest = settings(storage, restPort, flags);
        RestServer restServer = RestServerMain.start(rest, pipeline);
        GrpcServer grpcServer = GrpcServerMain.start(settings(storage, grpcPort, flags), pipeline);
        return new TestServers(pipeline, restServer, grpcServer);
    }

    public URI restUrl() {
        return URI.create("http://127.0.0.1:" + rest.address().getPort() + "/predict");
    }

    public String grpcTarget() {
        return "127.0.0.1:" + grpc.port();
    }

    @Override
    public void close() throws InterruptedException {
        rest.stop(Duration.ofSeconds(2));
        grpc.stop(Duration.ofSeconds(2));
    }

    private static ServerSettings settings(Path storage, int port, String... more) {
        List<String> flags = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--workers", "2", "--access-log", "false", "--metrics-port", "0", "--storage", storage.toString()));
        flags.addAll(List.of(more));
        return ServerSettings.read(new Config(flags.toArray(String[]::new), Map.of()), port);
    }
}

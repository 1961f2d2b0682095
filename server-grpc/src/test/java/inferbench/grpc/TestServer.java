package inferbench.grpc;

import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.proto.InferenceGrpc;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real GrpcServer on an ephemeral loopback port, and real channels to it. Its access log (off
 * unless the flags say {@code --access-log true}) and error log go to {@link Lines} the test can
 * read, not to the build's output.
 */
final class TestServer implements AutoCloseable {
    /** Every call in these tests has a deadline, so a bug fails a test instead of hanging the build. */
    static final long CALL_DEADLINE_SECONDS = 30;

    final GrpcServer server;
    final ManagedChannel channel;
    final Lines accessLog;
    final Lines errorLog;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private boolean stopped;

    private TestServer(GrpcServer server, Lines accessLog, Lines errorLog) {
        this.server = server;
        this.accessLog = accessLog;
        this.errorLog = errorLog;
        this.channel = newChannel();
    }

    /** Starts a server with the given storage, plus any extra flags (later flags win). */
    static TestServer start(Path storage, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--bind", "127.0.0.1", "--access-log", "false",
                "--storage", storage.toString()));
        args.addAll(List.of(flags));
        ServerSettings settings = ServerSettings.read(new Config(args.toArray(String[]::new), Map.of()),
                GrpcServer.DEFAULT_PORT);
        DetectionPipeline pipeline = DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage()));
        Lines accessLog = new Lines();
        Lines errorLog = new Lines();
        return new TestServer(GrpcServerMain.start(settings, pipeline, accessLog.stream(), errorLog.stream()),
                accessLog, errorLog);
    }

    ManagedChannel newChannel() {
        ManagedChannel created = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                InsecureChannelCredentials.create()).build();
        channels.add(created);
        return created;
    }

    InferenceGrpc.InferenceBlockingStub blocking() {
        return InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    InferenceGrpc.InferenceStub async() {
        return InferenceGrpc.newStub(channel).withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The server's one stop, as the main flow makes it; {@link #close} then only closes the channels. */
    synchronized boolean stop(Duration grace) {
        stopped = true;
        return server.stop(grace);
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        synchronized (this) {
            if (!stopped) {
                stop(Duration.ofSeconds(5));
            }
        }
    }
}

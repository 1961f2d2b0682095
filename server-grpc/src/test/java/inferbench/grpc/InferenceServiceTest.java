package inferbench.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.proto.Detection;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
import inferbench.storage.ResultStore;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service alone, as grpc-java's HelloWorldServerTest tests its greeter: on an in-process
 * server, with no network and no limits, a real stub calls it with the sample photo.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InferenceServiceTest {
    private final WorkerPool workers = new WorkerPool(1, 1, "in-process-worker-");
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start(@TempDir Path storage) throws Exception {
        ServerSettings settings = ServerSettings.read(new Config(new String[] {"--storage", storage.toString()},
                Map.of()), GrpcServer.DEFAULT_PORT);
        DetectionPipeline pipeline = DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage()));
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new InferenceService(pipeline, workers)).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        workers.shutdown(Duration.ZERO);
    }

    @Test
    void predictFindsTheFaceOnTheSamplePhoto() {
        Detection reply = InferenceGrpc.newBlockingStub(channel).predict(PredictTest.jpeg(SampleFrames.faceJpeg()));

        assertEquals("OK", reply.getStatus());
        assertArrayEquals(PredictTest.PYTHON_BOX, PredictTest.coords(reply.getBoxes(0)), 0f);
    }
}

package inferbench.grpc;

import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccessLogTest {
    @Test
    void writesOneLinePerInferenceCallWithItsRealStatusAndNoneForHealthChecks(@TempDir Path storage)
            throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        GrpcServer server = start(storage, log);
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                InsecureChannelCredentials.create()).build();
        try {
            InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .predict(jpeg(PredictTest.jpegHeaderOnly(8, 8)));
        } catch (StatusRuntimeException expected) {
            // INVALID_ARGUMENT: the header-only JPEG cannot be decoded
        }
        assertThrows(StatusRuntimeException.class, () -> InferenceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).predict(jpeg(SampleFrames.faceJpeg())));
        HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop(Duration.ofSeconds(5));

        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("127\\.0\\.0\\.1:\\d+ img\\.Inference/Predict INVALID_ARGUMENT \\d+\\.\\d ms 1 msg"
                + " \\(invalid JPEG: OpenCV could not decode the image data\\)"), lines.get(0));
        assertTrue(lines.get(1).matches("127\\.0\\.0\\.1:\\d+ img\\.Inference/Predict RESOURCE_EXHAUSTED .*"
                + "exceeds maximum size 4096.*"), lines.get(1));
    }

    @Test
    void writesEachLineInOneWriteToTheStream(@TempDir Path storage) throws Exception {
        CountingStream log = new CountingStream();
        GrpcServer server = start(storage, log);
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                InsecureChannelCredentials.create()).build();
        for (int i = 0; i < 3; i++) {
            assertThrows(StatusRuntimeException.class, () -> InferenceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS).predict(jpeg(PredictTest.jpegHeaderOnly(8, 8))));
        }
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop(Duration.ofSeconds(5));

        assertEquals(3, log.toString(StandardCharsets.UTF_8).lines().count());
        assertEquals(3, log.writes, "System.out writes through at once: a line in pieces is a system call per piece");
    }

    /** Like System.out: autoflush, so every write the PrintStream makes reaches the stream at once. */
    private static GrpcServer start(Path storage, ByteArrayOutputStream log) throws Exception {
        ServerSettings settings = ServerSettings.read(new Config(new String[] {"--port", "0", "--bind", "127.0.0.1",
                "--storage", storage.toString(), "--max-body", "4096"}, Map.of()), GrpcServer.DEFAULT_PORT);
        DetectionPipeline pipeline = DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage()));
        return GrpcServerMain.start(settings, pipeline, new PrintStream(log, true, StandardCharsets.UTF_8), System.err);
    }

    private static final class CountingStream extends ByteArrayOutputStream {
        volatile int writes;

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            writes++;
            super.write(bytes, offset, length);
        }

        @Override
        public synchronized void write(int b) {
            writes++;
            super.write(b);
        }
    }
}

package inferbench.grpc;

import static inferbench.grpc.PredictTest.PYTHON_BOX;
import static inferbench.grpc.PredictTest.coords;
import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.server.WorkerPool;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

/**
 * One worker and one queue slot, so that a burst of requests is more than the server admits, and
 * a frame can be made to wait for the worker.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SaturationTest {
    @TempDir
    static Path storage;
    /** What this server's pool says when full, in the words both servers use. */
    private static final String BUSY = new WorkerPool(1, 1, "unused-").busyMessage();
    /** Four streams' first frames alone are twice what the server admits. */
    private static final int FRAMES_PER_STREAM = 5;
    private static TestServer server;
    private static Image face;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(storage, "--workers", "1", "--queue", "1");
        face = jpeg(SampleFrames.faceJpeg());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Tag("limits")
    @Test
    void refusesABurstBeyondWorkersPlusQueueAtOnceAndRecovers() throws Exception {
        List<ListenableFuture<Detection>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(InferenceGrpc.newFutureStub(server.channel)
                    .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).predict(face));
        }
        int answered = 0;
        int refused = 0;
        for (ListenableFuture<Detection> call : calls) {
            try {
                assertArrayEquals(PYTHON_BOX, coords(call.get().getBoxes(0)), 0f);
                answered++;
            } catch (ExecutionException e) {
                Status status = Status.fromThrowable(e.getCause());
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
                assertEquals(BUSY, status.getDescription());
                refused++;
            }
        }
        assertTrue(answered >= 2, "the worker and the queue slot are always admitted: " + answered);
        assertTrue(refused >= 1, "30 calls at once on 1 worker + 1 queue slot: " + refused + " refused");
        assertEquals("OK", server.blocking().predict(face).getStatus());
    }

    /**
     * A frame whose client gives up while it waits for the worker is not detected, as a unary call
     * is not: here a stream's frame, queued behind a slow call, asks to be saved, and nothing is.
     */
    @Test
    void skipsAStreamFrameWhoseClientCancelledWhileItWaitedForTheWorker() throws Exception {
        Mat large = SampleFrames.faceFrame(2048, 2048);
        Image slow = jpeg(SampleFrames.encodeJpeg(large, SampleFrames.JPEG_QUALITY));
        large.release();
        ListenableFuture<Detection> running = InferenceGrpc.newFutureStub(server.channel)
                .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).predict(slow);
        while (server.server.requestsInFlight() < 1) {
            Thread.sleep(1); // until the slow call runs; the class timeout bounds this
        }
        PredictStreamTest.Answers answers = new PredictStreamTest.Answers();
        ClientCallStreamObserver<Image> frames = (ClientCallStreamObserver<Image>) server.async().predictStream(answers);
        frames.onNext(face.toBuilder().setSave(true).build());
        while (server.server.requestsInFlight() < 2) {
            Thread.sleep(1); // until the frame waits behind it
        }
        frames.cancel("the viewer closed the window", null);

        assertEquals(Status.Code.CANCELLED, answers.end().getCode());
        assertEquals("OK", running.get().getStatus());
        while (server.server.requestsInFlight() > 0) {
            Thread.sleep(1);
        }
        try (Stream<Path> files = Files.list(storage)) {
            assertEquals(List.of(), files.filter(file -> file.toString().endsWith(".jpg")).toList());
        }
    }

    @Tag("limits")
    @Test
    void answersBusyStreamFramesInTheirPlace() throws Exception {
        List<PredictStreamTest.Answers> streams = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            PredictStreamTest.Answers answers = new PredictStreamTest.Answers();
            StreamObserver<Image> frames = server.async().predictStream(answers);
            for (int i = 0; i < FRAMES_PER_STREAM; i++) {
                frames.onNext(face);
            }
            frames.onCompleted();
            streams.add(answers);
        }
        int busy = 0;
        for (PredictStreamTest.Answers answers : streams) {
            assertEquals(Status.Code.OK, answers.end().getCode());
            assertEquals(FRAMES_PER_STREAM, answers.list.size(), "one answer per frame, busy or not");
            for (Detection d : answers.list) {
                if (d.getStatus().equals("ERROR")) {
                    assertEquals(BUSY, d.getError());
                    busy++;
                } else {
                    assertArrayEquals(PYTHON_BOX, coords(d.getBoxes(0)), 0f);
                }
            }
        }
        assertTrue(busy >= 1, "4 streams at once on 1 worker + 1 queue slot: " + busy + " busy frames");
    }
}

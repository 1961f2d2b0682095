package inferbench.grpc;

import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerMain;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;

@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {
    private static final String PREDICT = "img.Inference/Predict";
    private static final String PREDICT_STREAM = "img.Inference/PredictStream";
    /** A large photo: long enough to decode that small frames sent after it queue for the worker. */
    private static Image slowFrame;
    private static Image smallFrame;

    @BeforeAll
    static void makeFrames() {
        Mat large = SampleFrames.faceFrame(2048, 2048);
        slowFrame = jpeg(SampleFrames.encodeJpeg(large, SampleFrames.JPEG_QUALITY));
        large.release();
        smallFrame = jpeg(PredictStreamTest.small(SampleFrames.faceFrame(1280, 720)));
    }

    /**
     * Calls are admitted (one running, two queued for the only worker) when the stop starts:
     * health turns NOT_SERVING, the health watch is ended (it would never end by itself), every
     * admitted call still gets its full answer, and the stop reports it drained everything.
     */
    @Test
    void callsInFlightWhenTheStopStartsAreAnswered(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--workers", "1", "--queue", "2")) {
            HealthWatch health = HealthWatch.open(test);
            assertEquals(ServingStatus.SERVING, health.next());
            List<ListenableFuture<Detection>> inFlight = new ArrayList<>();
            for (Image frame : List.of(slowFrame, smallFrame, smallFrame)) {
                inFlight.add(InferenceGrpc.newFutureStub(test.channel)
                        .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).predict(frame));
            }
            while (test.server.requestsInFlight() < 3) {
                Thread.sleep(1); // until the large one runs and both small ones wait; the class timeout bounds this
            }

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> test.stop(ServerMain.GRACE));
            assertEquals(ServingStatus.NOT_SERVING, health.next());
            assertEquals(Status.Code.UNAVAILABLE, health.end().getCode());
            for (ListenableFuture<Detection> call : inFlight) {
                assertEquals("OK", call.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).getStatus());
            }
            assertTrue(stopped.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS), "drained within the grace");
        }
    }

    /** A video stream never ends by itself; a stop answers its frame in hand, then ends it. */
    @Test
    void aStopAnswersTheStreamFrameInHandThenEndsTheStreamWithUnavailable(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--workers", "1", "--queue", "1")) {
            PredictStreamTest.Answers answers = new PredictStreamTest.Answers();
            test.async().predictStream(answers).onNext(slowFrame);
            while (test.server.requestsInFlight() < 1) {
                Thread.sleep(1); // until the frame is admitted; the class timeout bounds this
            }

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> test.stop(ServerMain.GRACE));

            Status end = answers.end();
            assertEquals(Status.Code.UNAVAILABLE, end.getCode());
            assertEquals(FrameStream.SHUTTING_DOWN, end.getDescription());
            assertEquals(1, answers.list.size());
            assertEquals("OK", answers.list.get(0).getStatus());
            assertTrue(stopped.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS), "drained within the grace");
        }
    }

    /**
     * Calls that never sent their whole message are not waited for: a unary call stalled in its
     * message, one that sent only its headers, and a stream stalled halfway through a frame all
     * end at once, and the stop returns true (exit status 0) long before its grace period.
     */
    @Test
    void aStopEndsCallsStillWaitingForTheirMessageAtOnce(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage);
             RawHttp2Connection stalled = RawHttp2Connection.open(test.server.port())) {
            int partialUnary = stalled.startCall(PREDICT);
            stalled.sendPartialMessage(partialUnary, 1_000_000, 100_000);
            int headersOnly = stalled.startCall(PREDICT);
            int partialFrame = stalled.startCall(PREDICT_STREAM);
            stalled.sendPartialMessage(partialFrame, 1_000_000, 1_000);
            stalled.ping(); // the server has read all of it

            long start = System.nanoTime();
            assertTrue(test.stop(ServerMain.GRACE), "nothing admitted, so nothing cut off");
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 5, "the stop took " + seconds + " s of its " + ServerMain.GRACE.toSeconds()
                    + " s grace");
            Set<Integer> calls = Set.of(partialUnary, headersOnly, partialFrame);
            RawHttp2Connection.awaitAll(stalled.endedStreams, calls, Duration.ofSeconds(5));
            assertEquals(calls, Set.copyOf(stalled.endedStreams));
        }
    }

    /** A grpc.health.v1.Health/Watch call: the server pushes every status change. */
    private static final class HealthWatch implements StreamObserver<HealthCheckResponse> {
        private final BlockingQueue<ServingStatus> statuses = new LinkedBlockingQueue<>();
        private final CompletableFuture<Status> end = new CompletableFuture<>();

        static HealthWatch open(TestServer test) {
            HealthWatch watch = new HealthWatch();
            HealthGrpc.newStub(test.channel).withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .watch(HealthCheckRequest.getDefaultInstance(), watch);
            return watch;
        }

        @Override
        public void onNext(HealthCheckResponse response) {
            statuses.add(response.getStatus());
        }

        @Override
        public void onError(Throwable t) {
            end.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            end.complete(Status.OK);
        }

        ServingStatus next() throws InterruptedException {
            return statuses.poll(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }

        Status end() throws Exception {
            return end.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }
}

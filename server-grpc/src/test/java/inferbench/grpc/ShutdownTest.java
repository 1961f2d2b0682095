package inferbench.grpc;

import static inferbench.grpc.PredictTest.PYTHON_BOX;
import static inferbench.grpc.PredictTest.coords;
import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import inferbench.proto.Detection;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerMain;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownTest {
    /**
     * The only worker is held by a stand-in for a long detection, so a real call is certainly
     * in flight (admitted, waiting in the queue) when the stop starts: health turns NOT_SERVING,
     * and the call still gets its full answer once the worker is free.
     */
    @Test
    void anInFlightCallCompletesWhenTheStopStarts(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--workers", "1", "--queue", "1")) {
            HealthWatch health = HealthWatch.open(test);
            assertEquals(ServingStatus.SERVING, health.next());

            CountDownLatch workerHeld = new CountDownLatch(1);
            assertTrue(test.server.workers().trySubmit(java.util.concurrent.Executors.callable(() -> awaitQuietly(workerHeld))).isPresent());
            ListenableFuture<Detection> inFlight = InferenceGrpc.newFutureStub(test.channel)
                    .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .predict(jpeg(SampleFrames.faceJpeg()));
            while (test.server.workers().inFlight() < 2) {
                Thread.sleep(1); // until the call is admitted; the class timeout bounds this
            }

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> test.server.stop(ServerMain.GRACE));
            assertEquals(ServingStatus.NOT_SERVING, health.next());
            health.cancel(); // an open watch is an in-flight call too; let the server finish
            workerHeld.countDown();

            Detection answer = inFlight.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals(PYTHON_BOX, coords(answer.getBoxes(0)), 0f);
            assertTrue(stopped.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS), "drained within the grace");
            test.server.blockUntilShutdown();
        }
    }

    /** A video stream never ends by itself; a stop answers its frame in hand, then ends it. */
    @Test
    void aStopAnswersTheStreamFrameInHandThenEndsTheStreamWithUnavailable(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--workers", "1", "--queue", "1")) {
            CountDownLatch workerHeld = new CountDownLatch(1);
            assertTrue(test.server.workers().trySubmit(java.util.concurrent.Executors.callable(() -> awaitQuietly(workerHeld))).isPresent());
            PredictStreamTest.Answers answers = new PredictStreamTest.Answers();
            test.async().predictStream(answers).onNext(jpeg(SampleFrames.faceJpeg()));
            while (test.server.workers().inFlight() < 2) {
                Thread.sleep(1); // until the frame is admitted; the class timeout bounds this
            }

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> test.server.stop(ServerMain.GRACE));
            workerHeld.countDown();

            Status end = answers.end();
            assertEquals(Status.Code.UNAVAILABLE, end.getCode());
            assertEquals(FrameStream.SHUTTING_DOWN, end.getDescription());
            assertEquals(1, answers.list.size());
            assertArrayEquals(PYTHON_BOX, coords(answers.list.get(0).getBoxes(0)), 0f);
            stopped.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A grpc.health.v1.Health/Watch call: the server pushes every status change. */
    private static final class HealthWatch implements ClientResponseObserver<HealthCheckRequest, HealthCheckResponse> {
        private final BlockingQueue<ServingStatus> statuses = new LinkedBlockingQueue<>();
        private ClientCallStreamObserver<HealthCheckRequest> call;

        static HealthWatch open(TestServer test) {
            HealthWatch watch = new HealthWatch();
            HealthGrpc.newStub(test.channel).withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .watch(HealthCheckRequest.getDefaultInstance(), watch);
            return watch;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requestStream) {
            call = requestStream;
        }

        @Override
        public void onNext(HealthCheckResponse response) {
            statuses.add(response.getStatus());
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }

        ServingStatus next() throws InterruptedException {
            return statuses.poll(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }

        void cancel() {
            call.cancel("the test has seen the status it waited for", null);
        }
    }
}

package inferbench.grpc;

import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly as many clients as the server takes at once (2 workers + 4 queue places), each
 * sending its next request only once it has its answer: none is ever told "busy", on unary
 * calls or on streams, since a request's place is free again before its answer goes out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExactCapacityTest {
    private static final int WORKERS = 2;
    private static final int QUEUE = 4;
    private static final int CLIENTS = WORKERS + QUEUE;
    private static final int REQUESTS_PER_CLIENT = 25;

    @TempDir
    static Path storage;
    private static TestServer server;
    private static Image frame;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(storage, "--workers", String.valueOf(WORKERS), "--queue", String.valueOf(QUEUE));
        frame = jpeg(PredictStreamTest.small(SampleFrames.faceFrame(1280, 720)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void unaryClientsAtCapacityAreNeverRefused() throws Exception {
        List<String> refusals = eachClient(() -> {
            InferenceGrpc.InferenceBlockingStub stub = InferenceGrpc.newBlockingStub(server.newChannel());
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                try {
                    stub.withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).predict(frame);
                } catch (StatusRuntimeException e) {
                    refused.add(e.getStatus().toString());
                }
            }
            return refused;
        });
        assertEquals(List.of(), refusals, CLIENTS * REQUESTS_PER_CLIENT + " calls");
    }

    @Test
    void streamClientsAtCapacityAreNeverRefused() throws Exception {
        List<String> refusals = eachClient(() -> {
            BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
            StreamObserver<Image> frames = InferenceGrpc.newStub(server.newChannel())
                    .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .predictStream(new StreamObserver<>() {
                        @Override
                        public void onNext(Detection detection) {
                            answers.add(detection);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answers.add(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                frames.onNext(frame);
                Object answer = answers.poll(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
                if (!(answer instanceof Detection detection) || !detection.getError().isEmpty()) {
                    refused.add(String.valueOf(answer));
                }
            }
            frames.onCompleted();
            return refused;
        });
        assertEquals(List.of(), refusals, CLIENTS * REQUESTS_PER_CLIENT + " frames");
    }

    /** Runs one closed-loop client per thread, all at once; returns every refusal they saw. */
    private static List<String> eachClient(java.util.concurrent.Callable<List<String>> client) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<List<String>>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(threads.submit(client));
            }
            List<String> refusals = new ArrayList<>();
            for (Future<List<String>> f : clients) {
                refusals.addAll(f.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS));
            }
            return refusals;
        } finally {
            threads.shutdownNow();
        }
    }
}

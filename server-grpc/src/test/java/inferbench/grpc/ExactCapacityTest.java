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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly as many clients as the server takes at once (2 workers + 4 queue places), half on
 * unary calls and half on streams, each sending its next request only once it has its answer:
 * none is ever told "busy", since a request's place is free again before its answer goes out.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExactCapacityTest {
    private static final int WORKERS = 2;
    private static final int QUEUE = 4;
    private static final int CLIENTS = WORKERS + QUEUE;
    private static final int REQUESTS_PER_CLIENT = 12;

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
    void unaryAndStreamClientsAtCapacityAreNeverRefused() throws Exception {
        List<Callable<List<String>>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(c % 2 == 0 ? ExactCapacityTest::unaryClient : ExactCapacityTest::streamClient);
        }
        assertEquals(List.of(), eachClient(clients), CLIENTS * REQUESTS_PER_CLIENT + " requests");
    }

    private static List<String> unaryClient() {
        InferenceGrpc.InferenceBlockingStub stub = InferenceGrpc.newBlockingStub(server.newChannel());
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
            try {
                stub.withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).predict(frame);
            } catch (StatusRuntimeException e) {
                refused.add("unary: " + e.getStatus());
            }
        }
        return refused;
    }

    private static List<String> streamClient() throws InterruptedException {
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
                refused.add("stream: " + answer);
            }
        }
        frames.onCompleted();
        return refused;
    }

    /** Runs each closed-loop client on a thread of its own, all at once; returns every refusal they saw. */
    private static List<String> eachClient(List<Callable<List<String>>> clients) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<List<String>>> running = new ArrayList<>();
            for (Callable<List<String>> client : clients) {
                running.add(threads.submit(client));
            }
            List<String> refusals = new ArrayList<>();
            for (Future<List<String>> f : running) {
                refusals.addAll(f.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS));
            }
            return refusals;
        } finally {
            threads.shutdownNow();
        }
    }
}

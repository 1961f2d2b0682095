package inferbench.grpc;

import static inferbench.grpc.PredictTest.PYTHON_BOX;
import static inferbench.grpc.PredictTest.coords;
import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.samples.SampleFrames;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PredictStreamTest {
    /** The largest HTTP/2 window grpc-java's flow-control auto-tuning grows to. */
    private static final int GRPC_MAX_WINDOW = 8 * 1024 * 1024;
    @TempDir
    static Path storage;
    private static TestServer server;
    private static Image face;
    private static Image twoFaces;
    private static Image noFace;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(storage, "--workers", "2", "--queue", "4");
        face = jpeg(SampleFrames.faceJpeg());
        twoFaces = jpeg(SampleFrames.twoFaceJpeg());
        noFace = jpeg(SampleFrames.noFaceJpeg());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void answersOneHundredFramesInOrderOnOneCall() throws Exception {
        Answers answers = new Answers();
        StreamObserver<Image> frames = server.async().predictStream(answers);
        for (int i = 0; i < 100; i++) {
            frames.onNext(frameNumber(i));
        }
        frames.onCompleted();

        assertEquals(Status.Code.OK, answers.end().getCode());
        assertEquals(100, answers.list.size());
        for (int i = 0; i < 100; i++) {
            assertAnswersFrame(i, answers.list.get(i));
        }
    }

    /**
     * The client ignores flow control and pushes 300 frames at once, far faster than detection.
     * The server still takes one frame at a time: the service's own count of frames it holds
     * (received, not yet answered) never passes one, so the rest wait in the HTTP/2 window and on
     * the client. With automatic requests, grpc would hand over every frame as it arrives.
     */
    @Test
    void holdsOneFrameAtATimeWhenTheClientSendsFasterThanDetection() throws Exception {
        Answers answers = new Answers();
        StreamObserver<Image> frames = server.async().predictStream(answers);
        for (int i = 0; i < 300; i++) {
            frames.onNext(i % 2 == 0 ? face : noFace);
        }
        frames.onCompleted();

        assertEquals(Status.Code.OK, answers.end().getCode());
        assertEquals(300, answers.list.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(i % 2 == 0 ? "OK" : "NO_DETECTION", answers.list.get(i).getStatus(), "frame " + i);
        }
        assertEquals(1, server.server.service().mostFramesHeldByAStream());
    }

    /**
     * A client that sends whenever its transport is ready is held back by the server: the frames
     * it has sent and not had answered stay within what one HTTP/2 flow-control window carries
     * (grpc auto-tunes it up to 8 MiB), plus the one the server holds, one in the client's
     * buffer and answers on their way back. Never the whole video.
     */
    @Test
    void holdsBackAClientThatSendsWheneverItsTransportIsReady() throws Exception {
        int total = 150;
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        Answers answers = new Answers();
        server.async().predictStream(new ClientResponseObserver<Image, Detection>() {
            private ClientCallStreamObserver<Image> out;

            @Override
            public void beforeStart(ClientCallStreamObserver<Image> requestStream) {
                out = requestStream;
                out.setOnReadyHandler(() -> {
                    while (out.isReady() && sent.get() < total) {
                        out.onNext(face);
                        mostInFlight.accumulateAndGet(sent.incrementAndGet() - answers.list.size(), Math::max);
                    }
                    if (sent.get() == total) {
                        sent.incrementAndGet(); // completed once
                        out.onCompleted();
                    }
                });
            }

            @Override
            public void onNext(Detection detection) {
                answers.onNext(detection);
            }

            @Override
            public void onError(Throwable t) {
                answers.onError(t);
            }

            @Override
            public void onCompleted() {
                answers.onCompleted();
            }
        });
        assertEquals(Status.Code.OK, answers.end().getCode());
        assertEquals(total, answers.list.size());
        int windowBound = GRPC_MAX_WINDOW / face.getSerializedSize() + 4;
        assertTrue(mostInFlight.get() <= windowBound,
                "frames sent and not answered: " + mostInFlight.get() + ", bound " + windowBound);
    }

    @Test
    void reportsABadFrameInItsPlaceAndGoesOn() throws Exception {
        Answers answers = new Answers();
        StreamObserver<Image> frames = server.async().predictStream(answers);
        frames.onNext(face);
        frames.onNext(jpeg("not a picture".getBytes()));
        frames.onNext(face.toBuilder().setMime("image/png").build());
        frames.onNext(jpeg(new byte[0]));
        frames.onNext(noFace);
        frames.onCompleted();

        assertEquals(Status.Code.OK, answers.end().getCode());
        List<Detection> d = answers.list;
        assertEquals(5, d.size());
        assertEquals("OK", d.get(0).getStatus());
        assertFrameError("not a JPEG: the data does not start with the JPEG SOI marker FF D8", d.get(1));
        assertFrameError("Only image/jpeg supported", d.get(2));
        assertFrameError("empty image: no bytes received", d.get(3));
        assertEquals("NO_DETECTION", d.get(4).getStatus());
        assertEquals("", d.get(4).getError());
    }

    @Test
    void aClientCancellingMidStreamLeavesTheServerServing() throws Exception {
        CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
        Answers answers = new Answers() {
            @Override
            public void onNext(Detection detection) {
                super.onNext(detection);
                firstAnswer.complete(null);
            }
        };
        ClientCallStreamObserver<Image> frames =
                (ClientCallStreamObserver<Image>) server.async().predictStream(answers);
        for (int i = 0; i < 20; i++) {
            frames.onNext(face);
        }
        firstAnswer.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        frames.cancel("the viewer closed the window", null);

        assertEquals(Status.Code.CANCELLED, answers.end().getCode());
        assertArrayEquals(PYTHON_BOX, coords(server.blocking().predict(face).getBoxes(0)), 0f);
    }

    private static Image frameNumber(int i) {
        return switch (i % 3) {
            case 0 -> face;
            case 1 -> twoFaces;
            default -> noFace;
        };
    }

    private static void assertAnswersFrame(int i, Detection d) {
        switch (i % 3) {
            case 0 -> assertArrayEquals(PYTHON_BOX, coords(d.getBoxes(0)), 0f, "frame " + i);
            case 1 -> assertEquals(2, d.getDetectionCount(), "frame " + i);
            default -> assertEquals("NO_DETECTION", d.getStatus(), "frame " + i);
        }
    }

    private static void assertFrameError(String message, Detection d) {
        assertEquals("ERROR", d.getStatus());
        assertEquals(message, d.getError());
        assertEquals("face", d.getLabel());
        assertEquals(0, d.getBoxesCount());
    }

    /** Collects a stream's answers and how it ended. */
    static class Answers implements StreamObserver<Detection> {
        final List<Detection> list = Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<Status> end = new CompletableFuture<>();

        @Override
        public void onNext(Detection detection) {
            list.add(detection);
        }

        @Override
        public void onError(Throwable t) {
            end.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            end.complete(Status.OK);
        }

        Status end() throws Exception {
            return end.get(TestServer.CALL_DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
        }
    }
}

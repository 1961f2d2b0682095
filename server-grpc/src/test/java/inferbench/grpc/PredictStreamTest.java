package inferbench.grpc;

import static inferbench.grpc.PredictTest.PYTHON_BOX;
import static inferbench.grpc.PredictTest.coords;
import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerSettings;
import inferbench.server.WorkerPool;
import inferbench.storage.ResultStore;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PredictStreamTest {
    /** Frames a client pushes at once, ignoring flow control. */
    private static final int FRAMES_AT_ONCE = 20;
    /** Three of each kind (face, two faces, none), in turn: enough to show the order is kept. */
    private static final int FRAMES_IN_ORDER = 9;
    @TempDir
    static Path storage;
    private static TestServer server;
    private static Image face;
    private static Image twoFaces;
    private static Image noFace;
    private static Image smallFace;
    private static Image smallNoFace;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(storage, "--workers", "2", "--queue", "4");
        face = jpeg(SampleFrames.faceJpeg());
        twoFaces = jpeg(SampleFrames.twoFaceJpeg());
        noFace = jpeg(SampleFrames.noFaceJpeg());
        smallFace = jpeg(small(SampleFrames.faceFrame(320, 180)));
        smallNoFace = jpeg(small(SampleFrames.noFaceFrame()));
    }

    /** A 320x180 JPEG of the frame: decoded in a fraction of a millisecond. */
    static byte[] small(Mat frame) {
        Mat resized = new Mat();
        Imgproc.resize(frame, resized, new Size(320, 180), 0, 0, Imgproc.INTER_AREA);
        frame.release();
        try {
            return SampleFrames.encodeJpeg(resized, SampleFrames.JPEG_QUALITY);
        } finally {
            resized.release();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void answersFramesInOrderOnOneCall() throws Exception {
        Answers answers = new Answers();
        StreamObserver<Image> frames = server.async().predictStream(answers);
        for (int i = 0; i < FRAMES_IN_ORDER; i++) {
            frames.onNext(frameNumber(i));
        }
        frames.onCompleted();

        assertEquals(Status.Code.OK, answers.end().getCode());
        assertEquals(FRAMES_IN_ORDER, answers.list.size());
        for (int i = 0; i < FRAMES_IN_ORDER; i++) {
            assertAnswersFrame(i, answers.list.get(i));
        }
    }

    /**
     * The client ignores flow control and pushes 20 frames at once, far faster than detection.
     * The server still takes one frame at a time: a stream tracer counting the frames each call
     * has received and not answered never sees more than one, so the rest wait in the HTTP/2
     * window and on the client. With automatic requests, grpc would hand over every frame as it
     * arrives. Small frames: the count, not the size, is what is tested.
     *
     * <p>The service runs here on a plain grpc server of its own, which the tracer can be added
     * to; the flow control is all in the service.
     */
    @Test
    void holdsOneFrameAtATimeWhenTheClientSendsFasterThanDetection(@TempDir Path otherStorage) throws Exception {
        FramesHeld framesHeld = new FramesHeld();
        WorkerPool workers = new WorkerPool(2, 4, "frames-held-");
        ServerSettings settings = ServerSettings.read(new Config(new String[] {"--storage", otherStorage.toString()},
                Map.of()), GrpcServer.DEFAULT_PORT);
        DetectionPipeline pipeline = DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage()));
        Server bare = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .directExecutor()
                .addService(new InferenceService(pipeline, workers))
                .addStreamTracerFactory(framesHeld)
                .build()
                .start();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", bare.getPort(),
                InsecureChannelCredentials.create()).build();
        try {
            Answers answers = new Answers();
            StreamObserver<Image> frames = InferenceGrpc.newStub(channel)
                    .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).predictStream(answers);
            for (int i = 0; i < FRAMES_AT_ONCE; i++) {
                frames.onNext(i % 2 == 0 ? smallFace : smallNoFace);
            }
            frames.onCompleted();

            assertEquals(Status.Code.OK, answers.end().getCode());
            assertEquals(FRAMES_AT_ONCE, answers.list.size());
            for (int i = 0; i < FRAMES_AT_ONCE; i++) {
                assertEquals(i % 2 == 0 ? "OK" : "NO_DETECTION", answers.list.get(i).getStatus(), "frame " + i);
            }
            assertEquals(1, framesHeld.most.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            workers.shutdown(Duration.ZERO);
        }
    }

    /**
     * A client that sends whenever its transport is ready is held back by the server: the frames
     * it has sent and not had answered stay within what one HTTP/2 flow-control window carries
     * (--flow-window, here a little over two frames), plus the one the server holds, one in the
     * client's buffer and answers on their way back. Never the whole video.
     */
    @Tag("limits")
    @Test
    void holdsBackAClientThatSendsWheneverItsTransportIsReady(@TempDir Path otherStorage) throws Exception {
        int window = 2 * face.getSerializedSize() + 1000;
        int windowBound = window / face.getSerializedSize() + 4;
        int total = 3 * windowBound; // a client not held back has all of them in flight
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        Answers answers = new Answers();
        try (TestServer small = TestServer.start(otherStorage, "--workers", "2", "--flow-window", String.valueOf(window))) {
            small.async().predictStream(answers.beforeStart(requests -> {
                requests.setOnReadyHandler(() -> {
                    while (requests.isReady() && sent.get() < total) {
                        requests.onNext(face);
                        mostInFlight.accumulateAndGet(sent.incrementAndGet() - answers.list.size(), Math::max);
                    }
                    if (sent.get() == total) {
                        sent.incrementAndGet(); // completed once
                        requests.onCompleted();
                    }
                });
            }));
            assertEquals(Status.Code.OK, answers.end().getCode());
        }
        assertEquals(total, answers.list.size());
        assertTrue(mostInFlight.get() <= windowBound,
                "frames sent and not answered: " + mostInFlight.get() + ", bound " + windowBound);
    }

    /**
     * A client that sends frames and stops reading the answers would leave the stream waiting,
     * not reading, while the client fills its flow-control window (--flow-window) with frames
     * nobody reads. The server ends such a stream: the client's receive window (64 KiB here) and
     * 32 KiB more of answers wait unsent, and the stream ends with RESOURCE_EXHAUSTED saying why.
     * Frames that fail at once (empty), so that thousands of answers pile up in a moment.
     */
    @Tag("limits")
    @Test
    void endsAStreamWhoseClientStopsReadingItsAnswers() throws Exception {
        ManagedChannel slowReader = NettyChannelBuilder.forAddress("127.0.0.1", server.server.port())
                .usePlaintext().flowControlWindow(65535).build();
        try {
            Answers answers = new Answers();
            AtomicReference<ClientCallStreamObserver<Image>> out = new AtomicReference<>();
            InferenceGrpc.newStub(slowReader).withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .predictStream(answers.beforeStart(requests -> {
                        requests.disableAutoRequestWithInitial(0); // reads no answer
                        out.set(requests);
                    }));
            Image empty = jpeg(new byte[0]);
            for (int i = 0; i < 5000; i++) {
                out.get().onNext(empty);
            }
            server.errorLog.await(line -> line.contains("client not reading its answers"), 1, Duration.ofSeconds(20));
            out.get().request(Integer.MAX_VALUE); // now read: the answers sent, then the end
            Status end = answers.end();
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, end.getCode());
            assertTrue(end.getDescription().startsWith("the client is not reading its answers"), end.getDescription());
            assertTrue(answers.list.size() < 5000, answers.list.size() + " answers");
        } finally {
            slowReader.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
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

    /** Counts, for each call, the frames received and not yet answered; keeps the most seen. */
    private static final class FramesHeld extends ServerStreamTracer.Factory {
        final AtomicInteger most = new AtomicInteger();

        @Override
        public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
            AtomicInteger held = new AtomicInteger();
            return new ServerStreamTracer() {
                @Override
                public void inboundMessageRead(int seqNo, long wireSize, long uncompressedSize) {
                    most.accumulateAndGet(held.incrementAndGet(), Math::max);
                }

                @Override
                public void outboundMessage(int seqNo) {
                    held.decrementAndGet();
                }
            };
        }
    }

    /** Collects a stream's answers and how it ended. */
    static class Answers implements ClientResponseObserver<Image, Detection> {
        final List<Detection> list = Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<Status> end = new CompletableFuture<>();
        private Consumer<ClientCallStreamObserver<Image>> beforeStart = requests -> { };

        /** For a client that drives its requests itself: runs before the call starts, as grpc allows. */
        Answers beforeStart(Consumer<ClientCallStreamObserver<Image>> setUp) {
            this.beforeStart = setUp;
            return this;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<Image> requests) {
            beforeStart.accept(requests);
        }

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

        boolean ended() {
            return end.isDone();
        }
    }
}

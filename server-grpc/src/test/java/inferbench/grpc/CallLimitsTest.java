package inferbench.grpc;

import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.grpc.limits.GrpcLimits;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a slow, stalled or greedy client may hold of the server, one limit at a time, each set
 * low through its flag: every refusal is a status with a message, in the access log too.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallLimitsTest {
    private static final String PREDICT = "img.Inference/Predict";
    private static final String PREDICT_STREAM = "img.Inference/PredictStream";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BODY_TIMEOUT = "0.3";
    /** How a call ended for its late message shows in the access log, with the timeout as given. */
    private static final String LATE = "(the message did not arrive in full within 0.3 s (--body-timeout))";
    private static Image frame;

    @BeforeAll
    static void makeFrame() {
        frame = jpeg(PredictStreamTest.small(SampleFrames.faceFrame(1280, 720)));
    }

    @Test
    void endsAUnaryCallWhoseMessageDoesNotArriveWithinTheBodyTimeout(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--body-timeout", BODY_TIMEOUT, "--access-log", "true");
             RawHttp2Connection stalling = RawHttp2Connection.open(test.server.port())) {
            long start = System.nanoTime();
            int headersOnly = stalling.startCall(PREDICT);
            int partial = stalling.startCall(PREDICT);
            stalling.sendPartialMessage(partial, 100_000, 1_000);

            assertTrue(awaitIn(stalling.endedStreams, headersOnly) && awaitIn(stalling.endedStreams, partial));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds >= 0.3 && seconds < 5, "ended after " + seconds + " s");
            // the RST_STREAM follows the trailers
            assertTrue(awaitIn(stalling.resetStreams, headersOnly) && awaitIn(stalling.resetStreams, partial));
            assertEquals(Set.of(headersOnly, partial), stalling.resetStreams, "and their streams reset");
            assertEquals(2, test.accessLog.await(line -> line.contains("img.Inference/Predict DEADLINE_EXCEEDED")
                    && line.endsWith(LATE), 2, WAIT).size());
            assertTrue(test.errorLog.lines().stream().anyMatch(line -> line.matches("server-grpc: client error: "
                    + "127\\.0\\.0\\.1:\\d+ img\\.Inference/Predict: message not in full within the body timeout")),
                    test.errorLog.lines().toString());
        }
    }

    /** A video client may pause between frames as long as it likes, but not stall inside one. */
    @Test
    void aStreamMayIdleBetweenFramesButNotStallInTheMiddleOfOne(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--body-timeout", BODY_TIMEOUT, "--access-log", "true");
             RawHttp2Connection stalling = RawHttp2Connection.open(test.server.port())) {
            PredictStreamTest.Answers answers = new PredictStreamTest.Answers();
            StreamObserver<Image> frames = test.async().predictStream(answers);
            frames.onNext(frame);
            // meanwhile, on another connection, a stream stalls halfway through its first frame
            int stalled = stalling.startCall(PREDICT_STREAM);
            stalling.sendPartialMessage(stalled, 100_000, 1_000);
            Thread.sleep(600); // twice the body timeout, between two frames
            frames.onNext(frame);
            frames.onCompleted();
            assertEquals(Status.Code.OK, answers.end().getCode());
            assertEquals(List.of("OK", "OK"), answers.list.stream().map(Detection::getStatus).toList());

            assertTrue(awaitIn(stalling.endedStreams, stalled), "a frame stalled halfway is ended");
            assertTrue(awaitIn(stalling.resetStreams, stalled), "and its stream reset");
            assertEquals(1, test.accessLog.await(line -> line.contains("img.Inference/PredictStream DEADLINE_EXCEEDED")
                    && line.endsWith(LATE), 1, WAIT).size());
        }
    }

    /**
     * Messages arriving at once may hold 2 MiB here. A third partial message pushes them past it:
     * the one arriving the longest gives way, and a normal call still gets through.
     */
    @Test
    void endsTheOldestPartialMessageWhenMessagesArrivingAtOnceHoldTooMuch(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--max-body", "1048576", "--message-memory", "2097152",
                "--access-log", "true");
             RawHttp2Connection stalling = RawHttp2Connection.open(test.server.port())) {
            int first = stalling.startCall(PREDICT);
            stalling.sendPartialMessage(first, 1_000_000, 700_000);
            int second = stalling.startCall(PREDICT);
            stalling.sendPartialMessage(second, 1_000_000, 700_000);
            stalling.ping();
            assertTrue(stalling.endedStreams.isEmpty(), "1.4 MB fits in 2 MiB");

            int third = stalling.startCall(PREDICT);
            stalling.sendPartialMessage(third, 1_000_000, 700_000);
            assertTrue(awaitIn(stalling.endedStreams, first));
            stalling.ping();
            assertEquals(Set.of(first), stalling.endedStreams, "the oldest gave way, the others hang on");
            assertEquals("OK", test.blocking().predict(frame).getStatus());
            assertEquals(1, test.accessLog.await(line -> line.contains("img.Inference/Predict RESOURCE_EXHAUSTED")
                    && line.endsWith("(server busy: messages arriving at once would hold more than 2097152 bytes"
                            + " (--message-memory), and this call's had been arriving the longest; retry shortly)"),
                    1, WAIT).size());
        }
    }

    @Test
    void refusesCallsBeyondMaxCallsAtOnceAndTakesThemAgainWhenCallsEnd(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--max-calls", "2");
             RawHttp2Connection holding = RawHttp2Connection.open(test.server.port())) {
            int one = holding.startCall(PREDICT);
            int two = holding.startCall(PREDICT);
            holding.ping();

            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                    () -> test.blocking().predict(frame));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
            assertEquals("server busy: 2 calls are open, the most it takes (--max-calls); retry shortly",
                    refused.getStatus().getDescription());

            holding.resetStream(one);
            holding.resetStream(two);
            holding.ping();
            assertEquals("OK", test.blocking().predict(frame).getStatus());
        }
    }

    /** A grpc client waits for a free place; a client that ignores the setting has the call refused. */
    @Test
    void aConnectionMayHaveOnlyMaxCallsPerConnectionOpen(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--max-calls-per-connection", "2");
             RawHttp2Connection greedy = RawHttp2Connection.open(test.server.port())) {
            greedy.ping(); // the server's SETTINGS have arrived, and been acknowledged
            int one = greedy.startCall(PREDICT);
            int two = greedy.startCall(PREDICT);
            int three = greedy.startCall(PREDICT);
            greedy.ping();
            assertEquals(Set.of(three), greedy.resetStreams);
            assertFalse(greedy.endedStreams.contains(one) || greedy.endedStreams.contains(two));
        }
    }

    /**
     * A connection that sends no HTTP/2 preface within --header-timeout is closed. (A connection
     * that goes quiet for --idle-timeout, its whole seconds the longest wait here, is tested where
     * its calls have just ended: StalledCallsTest.)
     */
    @Test
    void closesAConnectionThatSaysNothing(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage, "--header-timeout", "0.3");
             Socket silent = RawHttp2Connection.connectSilently(test.server.port())) {
            silent.setSoTimeout((int) WAIT.toMillis());
            long start = System.nanoTime();
            // the server's SETTINGS, then the end of the stream: no preface within --header-timeout
            silent.getInputStream().readAllBytes();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 5, "closed after " + seconds + " s");
        }
    }

    /** HTTP/2 rapid reset (CVE-2023-44487): streams opened and cancelled in a loop. */
    @Test
    void closesAConnectionThatResetsStreamsInALoop(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage);
             RawHttp2Connection flood = RawHttp2Connection.open(test.server.port())) {
            for (int i = 0; i < 2 * GrpcLimits.MAX_RESETS && !flood.isClosed(); i++) {
                flood.resetStream(flood.startCall(PREDICT));
            }
            assertTrue(flood.awaitClosed(WAIT));
            assertEquals("GOAWAY error 11 too_many_rststreams", flood.goAway(), "ENHANCE_YOUR_CALM");
            assertEquals("OK", test.blocking().predict(frame).getStatus());
        }
    }

    @Test
    void closesAConnectionThatPingsTooOften(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage);
             RawHttp2Connection pinging = RawHttp2Connection.open(test.server.port())) {
            for (int i = 0; i < 10 && !pinging.isClosed(); i++) {
                try {
                    pinging.ping();
                } catch (java.io.IOException closed) {
                    break;
                }
            }
            assertTrue(pinging.awaitClosed(WAIT));
            assertEquals("GOAWAY error 11 too_many_pings", pinging.goAway(), "ENHANCE_YOUR_CALM");
        }
    }

    /** Waits, at most {@link #WAIT}, for the stream to be among {@code streams} (a connection's ended or reset ones). */
    private static boolean awaitIn(Set<Integer> streams, int stream) throws InterruptedException {
        return RawHttp2Connection.awaitAll(streams, Set.of(stream), WAIT);
    }
}

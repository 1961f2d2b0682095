package inferbench.grpc;

import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.proto.Image;
import inferbench.samples.SampleFrames;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A video stream on a connection past its maximum age (1 s here, 1.1 s at the most with grpc's
 * jitter) is ended between two frames, right after an answer: every frame sent is answered, the
 * call ends with UNAVAILABLE saying why, and the next call goes out on a new connection.
 */
@Tag("limits")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionAgeTest {
    @Test
    void endsAStreamBetweenTwoFramesOnceItsConnectionHasAgedWithoutLosingOne(@TempDir Path storage)
            throws Exception {
        Image frame = jpeg(PredictStreamTest.small(SampleFrames.faceFrame(1280, 720)));
        try (TestServer server = TestServer.start(storage, "--max-connection-age", "1")) {
            PredictStreamTest.Answers answers = new PredictStreamTest.Answers();
            long start = System.nanoTime();
            StreamObserver<Image> frames = server.async().predictStream(answers);
            for (int sent = 1; !answers.ended(); sent++) { // a frame at a time, at a video's pace
                frames.onNext(frame);
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); answers.list.size() < sent; ) {
                    assertTrue(System.nanoTime() < end, "frame " + sent + " was lost");
                    Thread.sleep(1);
                }
                assertEquals("OK", answers.list.get(sent - 1).getStatus());
                Thread.sleep(50); // the end, when it comes, follows the answer at once
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Status ended = answers.end();
            assertEquals(Status.Code.UNAVAILABLE, ended.getCode());
            assertEquals("the connection has reached its maximum age: open a new call to go on with the stream",
                    ended.getDescription());
            assertTrue(millis >= 1100, "ended after " + millis + " ms, before the age with its largest jitter");
            assertEquals("OK", server.blocking().predict(frame).getStatus());
        }
    }
}

package inferbench.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.scrape.MetricsText;
import io.grpc.CallOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC server's {@code GET /metrics}, on its own port, after real calls, each request counted
 * under the way it ended, a stream's frames one by one: answered, malformed, over the size
 * limit, refused for --max-calls, a frame that is not a JPEG answered with an error in its place.
 */
@Tag("metrics")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsTest {
    private static final int LIMIT = 1024 * 1024;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void countsEveryRequestUnderHowItEnded(@TempDir Path storage) throws Exception {
        int metricsPort = freePort();
        URI metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        try (TestServer server = TestServer.start(storage, "--metrics-port", Integer.toString(metricsPort),
                "--max-body", Integer.toString(LIMIT), "--max-calls", "2")) {
            Image face = PredictTest.jpeg(SampleFrames.faceJpeg());
            assertEquals("OK", server.blocking().predict(face).getStatus());
            assertEquals("OK", server.blocking().predict(face.toBuilder().setSave(true).build()).getStatus());
            assertEquals(Status.Code.INVALID_ARGUMENT, refusal(() -> ClientCalls.blockingUnaryCall(server.channel,
                    MalformedRequestsTest.bytes(InferenceGrpc.getPredictMethod()), CallOptions.DEFAULT
                            .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS), new byte[] {-1, 1})));
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, refusal(() -> server.blocking().predict(
                    Image.newBuilder().setData(ByteString.copyFrom(new byte[LIMIT + 1])).build())));
            // every call so far has ended on the server too, so the two streams are the calls open
            while (MetricsText.scrape(http, metrics).value("inferbench_requests_open", "protocol", "grpc") > 0) {
                Thread.sleep(10);
            }
            Stream faces = new Stream(server);
            Stream notJpegs = new Stream(server);
            assertEquals("OK", faces.send(face).getStatus());
            assertEquals("ERROR", notJpegs.send(PredictTest.jpeg("not a JPEG".getBytes(StandardCharsets.US_ASCII)))
                    .getStatus());
            Status busy = Status.fromThrowable(assertThrows(StatusRuntimeException.class,
                    () -> server.blocking().predict(face)));
            assertTrue(busy.getDescription().startsWith("server busy: 2 calls are open"), busy.toString());
            faces.end();
            notJpegs.end();

            MetricsText scraped = MetricsText.scrape(http, metrics);
            while (scraped.value("inferbench_requests_total", "protocol", "grpc") < 7) {
                Thread.sleep(10);
                scraped = MetricsText.scrape(http, metrics);
            }
            assertEquals(3, requests(scraped, "ok"), "two unary calls, a stream's frame");
            assertEquals(2, requests(scraped, "bad_request"), "the malformed message, the frame that is no JPEG");
            assertEquals(1, requests(scraped, "too_large"));
            assertEquals(1, requests(scraped, "busy"));
            assertEquals(7, scraped.value("inferbench_requests_total", "protocol", "grpc"));
            assertEquals(7, scraped.value("inferbench_request_duration_seconds_count", "protocol", "grpc"));
            assertEquals(1, scraped.value("inferbench_limit_hits_total", "protocol", "grpc", "limit", "max_calls"));
            // through a worker: the answered three and the frame the pipeline refused
            assertEquals(4, scraped.value("inferbench_detection_seconds_count", "protocol", "grpc"));
            assertEquals(3, scraped.value("inferbench_faces_detected_total", "protocol", "grpc"));
            assertEquals(1, scraped.value("inferbench_saved_frames_total", "protocol", "grpc"));
            // messages received in full: all but the one refused from its length
            assertEquals(5, scraped.value("inferbench_request_size_bytes_count", "protocol", "grpc"));
            assertTrue(scraped.value("process_open_fds") > 0, "the process's own metrics");
        }
    }

    private static Status.Code refusal(Runnable call) {
        return Status.fromThrowable(assertThrows(StatusRuntimeException.class, call::run)).getCode();
    }

    private static double requests(MetricsText metrics, String outcome) {
        return metrics.value("inferbench_requests_total", "protocol", "grpc", "outcome", outcome);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A PredictStream call, one frame at a time. */
    private static final class Stream {
        private final BlockingQueue<Detection> answers = new LinkedBlockingQueue<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final StreamObserver<Image> frames;

        Stream(TestServer server) {
            frames = server.async().predictStream(new StreamObserver<>() {
                @Override
                public void onNext(Detection answer) {
                    answers.add(answer);
                }

                @Override
                public void onError(Throwable e) {
                    ended.completeExceptionally(e);
                }

                @Override
                public void onCompleted() {
                    ended.complete(null);
                }
            });
        }

        Detection send(Image frame) throws InterruptedException {
            frames.onNext(frame);
            return answers.poll(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }

        void end() throws Exception {
            frames.onCompleted();
            ended.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }
}

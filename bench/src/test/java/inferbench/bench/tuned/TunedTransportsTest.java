package inferbench.bench.tuned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.client.transport.GrpcWire;
import inferbench.client.transport.MultipartBody;
import inferbench.client.transport.NotOfferedException;
import inferbench.client.transport.Reply;
import inferbench.client.transport.RestTransport;
import inferbench.client.transport.SilentGrpcServer;
import inferbench.client.transport.TestServers;
import inferbench.client.transport.Transport;
import inferbench.pipeline.Box;
import inferbench.samples.SampleFrames;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's tuned transports against the real servers: they answer as the client's own do
 * (the client's TransportsTest), and the one without a deadline still gives up at its time limit.
 */
@Timeout(60)
class TunedTransportsTest {
    private static final Box PARITY_BOX = new Box(244.8f, 91.2f, 141.6f, 141.6f);
    private static TestServers servers;
    private static byte[] face;

    @BeforeAll
    static void startServers(@TempDir Path dir) throws Exception {
        servers = TestServers.start(dir);
        face = SampleFrames.faceJpeg();
    }

    @AfterAll
    static void stopServers() throws Exception {
        servers.close();
    }

    private static Transport restTuned(URI url) {
        return new RestTransport(url, RestTransport.Body.MULTIPART, new HttpConnectionPool(url, Transport.DEFAULT_TIMEOUT),
                Transport.DEFAULT_TIMEOUT, " tuned");
    }

    @Test
    void answerAsTheClientsOwnTransportsDoAndCountTheSameBytes() throws Exception {
        long multipart = face.length + MultipartBody.withBoundary(new byte[0], "0".repeat(32)).bytes().length;
        long protobuf = GrpcWire.image(face, false).getSerializedSize();
        try (Transport rest = restTuned(servers.restUrl());
             Transport grpc = new NoDeadlineGrpcTransport(servers.grpcTarget(), Transport.DEFAULT_TIMEOUT)) {
            for (Transport transport : List.of(rest, grpc)) {
                Reply reply = transport.send(face, false);
                assertEquals(List.of(PARITY_BOX), reply.boxes(), transport.name());
                assertEquals(transport == rest ? multipart : protobuf, reply.requestBytes(), transport.name());
                Reply refused = transport.send(Arrays.copyOf(face, face.length / 2), false);
                assertFalse(refused.ok());
                String expected = transport == rest ? "HTTP 400: truncated JPEG" : "INVALID_ARGUMENT: truncated JPEG";
                assertTrue(refused.error().startsWith(expected), refused.error());
                assertFalse(transport.send(face, true).filename().isEmpty(), transport.name() + " saves when told");
            }
        }
    }

    @Test
    void theTunedRestClientFindsPredictAtABaseAddressNamesASwappedPortAndThrowsWhenNoServerAnswers()
            throws Exception {
        URI base = URI.create("http://127.0.0.1:" + servers.rest.address().getPort());
        try (Transport rest = restTuned(RestTransport.predictUrl(base.toString()));
             Transport swapped = restTuned(URI.create("http://" + servers.grpcTarget() + "/predict"));
             Transport nowhere = restTuned(URI.create("http://127.0.0.1:1/predict"));
             Transport grpcNowhere = new NoDeadlineGrpcTransport("127.0.0.1:1", Transport.DEFAULT_TIMEOUT)) {
            assertEquals("OK", rest.send(face, false).status());
            NotOfferedException e = assertThrows(NotOfferedException.class, () -> swapped.send(face, false));
            assertTrue(e.getMessage().startsWith("likely a gRPC port: " + servers.grpcTarget()
                    + " answers in HTTP/2, not HTTP/1.1"), e.getMessage());
            assertThrows(ConnectException.class, () -> nowhere.send(face, false));
            assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class,
                    () -> grpcNowhere.send(face, false)).getStatus().getCode());
        }
    }

    /** A server that takes the call and never answers: the waiting thread gives up at 1 s, and cancels. */
    @Test
    void withoutADeadlineTheWaitingThreadGivesUpAtTheLimitAndTheServerLearnsOfIt() throws Exception {
        try (SilentGrpcServer silent = SilentGrpcServer.start(1);
             Transport grpc = new NoDeadlineGrpcTransport(silent.target(), Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            TimeoutException e = assertThrows(TimeoutException.class, () -> grpc.send(new byte[] {1, 2, 3}, false));
            assertTrue(e.getMessage().contains("no answer within 1 s"), e.getMessage());
            assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(1), "gave up before the limit");
            assertTrue(silent.cancels.await(5, TimeUnit.SECONDS), "the gRPC server saw the call end");
        }
    }
}

package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The 5 s limit, against a gRPC server that takes every call and never answers. */
@Timeout(30)
class GrpcUnaryTransportTest {

    @Test
    void givesUpAfterTheTimeoutAndCancelsTheCallOnTheServer() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Server silent = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new InferenceGrpc.InferenceImplBase() {
                    @Override
                    public void predict(Image image, StreamObserver<Detection> reply) {
                        ((ServerCallStreamObserver<Detection>) reply).setOnCancelHandler(cancelled::countDown);
                        called.countDown();
                    }
                })
                .build()
                .start();
        try (GrpcUnaryTransport transport = new GrpcUnaryTransport("127.0.0.1:" + silent.getPort())) {
            long start = System.nanoTime();

            TimeoutException e = assertThrows(TimeoutException.class, () -> transport.send(new byte[] {1, 2, 3}, false));

            assertTrue(called.await(0, TimeUnit.SECONDS), "the call reached the server");
            assertTrue(System.nanoTime() - start >= Transport.TIMEOUT.toNanos(), "gave up before the timeout");
            assertTrue(e.getMessage().contains("no answer within 5 s"), e.getMessage());
            assertTrue(cancelled.await(5, TimeUnit.SECONDS), "the server saw the call cancelled");
        } finally {
            silent.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

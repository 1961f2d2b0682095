package inferbench.client.transport;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A gRPC server whose Predict takes every call and never answers it; it counts the calls and their ends. */
public final class SilentGrpcServer implements AutoCloseable {
    public final CountDownLatch calls;
    public final CountDownLatch cancels;
    private final Server server;

    private SilentGrpcServer(int expectedCalls) throws IOException {
        calls = new CountDownLatch(expectedCalls);
        cancels = new CountDownLatch(expectedCalls);
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new InferenceGrpc.InferenceImplBase() {
                    @Override
                    public void predict(Image image, StreamObserver<Detection> reply) {
                        ((ServerCallStreamObserver<Detection>) reply).setOnCancelHandler(cancels::countDown);
                        calls.countDown();
                    }
                })
                .build()
                .start();
    }

    public static SilentGrpcServer start(int expectedCalls) throws IOException {
        return new SilentGrpcServer(expectedCalls);
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}

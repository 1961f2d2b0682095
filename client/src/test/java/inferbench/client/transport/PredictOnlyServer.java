package inferbench.client.transport;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny grpc-java server that offers only {@code Predict} (no {@code PredictStream}, as a
 * server built from an older contract would), answering every frame with no face after an
 * optional pause on its first call. It counts the calls it gets for each method, offered or not.
 */
public final class PredictOnlyServer implements AutoCloseable {
    private final Server server;
    private final AtomicInteger predictCalls = new AtomicInteger();
    private final AtomicInteger predictStreamCalls = new AtomicInteger();

    private PredictOnlyServer(long firstCallPauseMillis) throws IOException {
        AtomicInteger answered = new AtomicInteger();
        ServerCalls.UnaryMethod<Image, Detection> predict = (Image image, StreamObserver<Detection> reply) -> {
            if (answered.getAndIncrement() == 0) {
                pause(firstCallPauseMillis);
            }
            reply.onNext(Detection.newBuilder().setStatus("NO_DETECTION").setLatencyMs(1).build());
            reply.onCompleted();
        };
        ServerServiceDefinition predictOnly = ServerServiceDefinition.builder(InferenceGrpc.SERVICE_NAME)
                .addMethod(InferenceGrpc.getPredictMethod(), ServerCalls.asyncUnaryCall(predict))
                .build();
        ServerStreamTracer.Factory counter = new ServerStreamTracer.Factory() {
            @Override
            public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
                if (fullMethodName.equals(InferenceGrpc.getPredictStreamMethod().getFullMethodName())) {
                    predictStreamCalls.incrementAndGet();
                } else if (fullMethodName.equals(InferenceGrpc.getPredictMethod().getFullMethodName())) {
                    predictCalls.incrementAndGet();
                }
                return new ServerStreamTracer() {
                };
            }
        };
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(predictOnly)
                .addStreamTracerFactory(counter)
                .build()
                .start();
    }

    public static PredictOnlyServer start() throws IOException {
        return new PredictOnlyServer(0);
    }

    /** Its first Predict call is answered only after this pause, as a cold server's might be. */
    public static PredictOnlyServer startWithSlowFirstCall(long pauseMillis) throws IOException {
        return new PredictOnlyServer(pauseMillis);
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    public int predictCalls() {
        return predictCalls.get();
    }

    public int predictStreamCalls() {
        return predictStreamCalls.get();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package inferbench.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthAndReflectionTest {
    @TempDir
    static Path storage;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(storage);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void reportsServingForTheServerAndForImgInference() {
        for (String service : List.of("", "img.Inference")) {
            ServingStatus status = HealthGrpc.newBlockingStub(server.channel)
                    .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build())
                    .getStatus();
            assertEquals(ServingStatus.SERVING, status, "service '" + service + "'");
        }
    }

    @Test
    void listsImgInferenceThroughReflection() throws Exception {
        ServerReflectionResponse response = reflect(ServerReflectionRequest.newBuilder().setListServices("*").build());
        List<String> services = response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
        assertTrue(services.contains("img.Inference"), services.toString());
        assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
    }

    @Test
    void describesBothInferenceMethodsThroughReflection() throws Exception {
        ServerReflectionResponse response = reflect(ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("img.Inference").build());
        FileDescriptorProto file = FileDescriptorProto.parseFrom(
                response.getFileDescriptorResponse().getFileDescriptorProto(0));
        assertEquals("img", file.getPackage());
        List<String> methods = file.getService(0).getMethodList().stream().map(m -> m.getName()).toList();
        assertEquals(List.of("Predict", "PredictStream"), methods);
    }

    /** One request on the bidirectional reflection stream, as grpcurl sends it. */
    private static ServerReflectionResponse reflect(ServerReflectionRequest request) throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(server.channel)
                .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        answer.complete(response);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        return answer.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }
}

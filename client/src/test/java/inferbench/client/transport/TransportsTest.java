package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import inferbench.json.JsonReader;
import inferbench.pipeline.Box;
import inferbench.proto.Image;
import inferbench.samples.SampleFrames;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every transport of the client against the real servers (the benchmark's tuned ones: TunedTransportsTest). */
@Timeout(60)
class TransportsTest {
    private static final Box PARITY_BOX = new Box(244.8f, 91.2f, 141.6f, 141.6f);
    private static TestServers servers;
    private static Path storage;
    private static byte[] face;
    private static byte[] noFace;
    private static byte[] twoFaces;

    /** Each transport, by the name the benchmark tables will use. */
    enum Kind {
        REST_MULTIPART(s -> new RestTransport(s.restUrl(), RestTransport.Body.MULTIPART)),
        REST_RAW(s -> new RestTransport(s.restUrl(), RestTransport.Body.RAW_JPEG)),
        GRPC_UNARY(s -> new GrpcUnaryTransport(s.grpcTarget())),
        GRPC_STREAM(s -> new GrpcStreamTransport(s.grpcTarget()));

        final Function<TestServers, Transport> open;

        Kind(Function<TestServers, Transport> open) {
            this.open = open;
        }
    }

    @BeforeAll
    static void startServers(@TempDir Path dir) throws Exception {
        storage = dir;
        servers = TestServers.start(dir);
        face = SampleFrames.faceJpeg();
        noFace = SampleFrames.noFaceJpeg();
        twoFaces = SampleFrames.twoFaceJpeg();
    }

    @AfterAll
    static void stopServers() throws Exception {
        servers.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void findsTheParityFacesAndNoFaceLikeThePipeline(Kind kind) throws Exception {
        try (Transport transport = kind.open.apply(servers)) {
            Reply reply = transport.send(face, false);
            assertEquals("OK", reply.status());
            assertEquals(List.of(PARITY_BOX), reply.boxes());
            assertEquals(List.of(0.9f), reply.scores());
            assertEquals(1, reply.detectionCount());
            assertTrue(reply.serverLatencyMs() > 0);
            assertEquals("", reply.filename());
            assertEquals(servers.pipeline.process(twoFaces, false, "test").boxes(), transport.send(twoFaces, false).boxes());
            Reply none = transport.send(noFace, false);
            assertEquals("NO_DETECTION", none.status());
            assertEquals(List.of(), none.boxes());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reportsARefusedFrameAsAnErrorReplyAndGoesOn(Kind kind) throws Exception {
        byte[] truncated = Arrays.copyOf(face, face.length / 2);
        try (Transport transport = kind.open.apply(servers)) {
            Reply refused = transport.send(truncated, false);
            assertFalse(refused.ok());
            assertEquals("ERROR", refused.status());
            String expected = switch (kind) {
                case REST_MULTIPART, REST_RAW -> "HTTP 400: truncated JPEG";
                case GRPC_UNARY -> "INVALID_ARGUMENT: truncated JPEG";
                case GRPC_STREAM -> "truncated JPEG";
            };
            assertTrue(refused.error().startsWith(expected), refused.error());
            assertEquals(List.of(PARITY_BOX), transport.send(face, false).boxes(), "the next frame is answered");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void asksTheServerToSaveWhenTold(Kind kind) throws Exception {
        try (Transport transport = kind.open.apply(servers)) {
            Reply reply = transport.send(face, true);
            assertFalse(reply.filename().isEmpty());
            assertTrue(Files.exists(storage.resolve(reply.filename())));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void countsTheBytesEachProtocolPutsOnTheWire(Kind kind) throws Exception {
        Reply reply;
        try (Transport transport = kind.open.apply(servers)) {
            reply = transport.send(face, false);
        }
        int multipartFraming = MultipartBody.withBoundary(new byte[0], "0".repeat(32)).bytes().length;
        long protobuf = GrpcWire.image(face, false).getSerializedSize();
        assertEquals(Image.newBuilder().setData(ByteString.copyFrom(face)).setMime("image/jpeg")
                .build().getSerializedSize(), protobuf);
        long expected = switch (kind) {
            case REST_MULTIPART -> face.length + multipartFraming;
            case REST_RAW -> face.length;
            case GRPC_UNARY, GRPC_STREAM -> protobuf;
        };
        assertEquals(expected, reply.requestBytes());
        assertTrue(reply.responseBytes() > 20 && reply.responseBytes() < 400, "reply bytes " + reply.responseBytes());
    }

    @Test
    void aBaseAddressMeansItsPredictAndAWrongPathIsNotOffered() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + servers.rest.address().getPort());
        assertEquals(servers.restUrl(), RestTransport.predictUrl(base.toString()));
        assertEquals(servers.restUrl(), RestTransport.predictUrl(base + "/"));
        try (Transport rest = new RestTransport(RestTransport.predictUrl(base.toString()), RestTransport.Body.MULTIPART)) {
            assertEquals("OK", rest.send(face, false).status());
        }
        try (Transport rest = new RestTransport(base.resolve("/healthz"), RestTransport.Body.MULTIPART)) {
            NotOfferedException e = assertThrows(NotOfferedException.class, () -> rest.send(face, false));
            assertEquals("POST /healthz got HTTP 405 (Method Not Allowed): not a /predict address", e.getMessage());
        }
    }

    @Test
    void readsTheRestServersRealReplyWithJsonReader() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(servers.restUrl())
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(face)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = JsonReader.parseObject(response.body());
        assertEquals("face", json.get("label"));
        assertEquals(List.of(List.of(244.8, 91.2, 141.6, 141.6)), json.get("boxes"));
        assertEquals(1.0, json.get("detection_count"));
        assertEquals("720x720", json.get("space"));

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(servers.restUrl())
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(face)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(415, refused.statusCode());
        assertEquals(Map.of("detail", "Only image/jpeg supported"), JsonReader.parseObject(refused.body()));
    }

    @Test
    void throwsWhenNoServerAnswers() throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:1/predict");
        try (Transport rest = new RestTransport(nowhere, RestTransport.Body.MULTIPART);
             Transport unary = new GrpcUnaryTransport("127.0.0.1:1");
             Transport stream = new GrpcStreamTransport("127.0.0.1:1")) {
            assertThrows(ConnectException.class, () -> rest.send(face, false));
            for (Transport grpc : List.of(unary, stream)) {
                assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class,
                        () -> grpc.send(face, false)).getStatus().getCode(), grpc.name());
            }
        }
    }

    @Test
    void aServerWithoutTheMethodIsReportedAsNotOffered() throws Exception {
        Server none = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).build().start();
        try (PredictOnlyServer predictOnly = PredictOnlyServer.start();
             Transport stream = new GrpcStreamTransport(predictOnly.target());
             Transport unary = new GrpcUnaryTransport(predictOnly.target());
             Transport unaryToNone = new GrpcUnaryTransport("127.0.0.1:" + none.getPort())) {
            NotOfferedException e = assertThrows(NotOfferedException.class, () -> stream.send(face, false));
            assertEquals("this server has no PredictStream", e.getMessage());
            assertEquals("PredictStream", e.call());
            assertEquals("NO_DETECTION", unary.send(face, false).status(), "the server does offer Predict");
            e = assertThrows(NotOfferedException.class, () -> unaryToNone.send(face, false));
            assertEquals("this server has no Predict", e.getMessage());
        } finally {
            none.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStreamCarriesManyFramesOnOneCall() throws Exception {
        try (GrpcStreamTransport stream = new GrpcStreamTransport(servers.grpcTarget())) {
            for (int i = 0; i < 6; i++) {
                byte[] frame = i % 2 == 0 ? face : noFace;
                assertEquals(i % 2 == 0 ? "OK" : "NO_DETECTION", stream.send(frame, false).status(), "frame " + i);
            }
        }
    }
}

package inferbench.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import inferbench.config.Config;
import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.DetectionResult;
import inferbench.proto.Box;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.ParityFrames;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PredictTest {
    /** What the original Python service answers for the parity frame, in 720 space. */
    static final float[] PYTHON_BOX = {244.8f, 91.2f, 141.6f, 141.6f};
    private static final int MAX_BODY = 1024 * 1024;

    @TempDir
    static Path storage;
    private static TestServer server;
    private static byte[] face;
    private static byte[] twoFaces;
    private static byte[] noFace;
    /** For tests of what is checked before decoding: a 320x180 face, decoded in a fraction of the time. */
    private static byte[] smallFace;

    @BeforeAll
    static void start() throws Exception {
        // a queue deep enough for eight clients at once: this class tests answers, not refusals
        server = TestServer.start(storage, "--workers", "2", "--queue", "16", "--max-body", String.valueOf(MAX_BODY));
        face = SampleFrames.faceJpeg();
        twoFaces = SampleFrames.twoFaceJpeg();
        noFace = SampleFrames.noFaceJpeg();
        smallFace = PredictStreamTest.small(SampleFrames.faceFrame(1280, 720));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Image jpeg(byte[] data) {
        return Image.newBuilder().setData(ByteString.copyFrom(data)).setMime("image/jpeg").build();
    }

    static float[] coords(Box b) {
        return new float[] {b.getX(), b.getY(), b.getW(), b.getH()};
    }

    /** The server's default decoding, as a user starts it: the original's answer on every parity frame. */
    @Test
    void answersEveryParityFrameAsTheOriginalDid() {
        List<String> mismatches = new ArrayList<>();
        for (ParityFrames.Frame frame : ParityFrames.all()) {
            Detection d = server.blocking().predict(jpeg(frame.jpeg()));
            String mismatch = frame.mismatch(d.getBoxesList().stream().map(PredictTest::coords).toList());
            if (!mismatch.isEmpty()) {
                mismatches.add(mismatch);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void findsTheOriginalServicesFaceBoxOnTheParityFrame() {
        Detection d = server.blocking().predict(jpeg(face));
        assertEquals("OK", d.getStatus());
        assertEquals("face", d.getLabel());
        assertEquals(1, d.getDetectionCount());
        assertEquals(List.of(0.9f), d.getScoresList());
        assertArrayEquals(PYTHON_BOX, coords(d.getBoxes(0)), 0f);
        assertEquals("", d.getFilename());
        assertEquals("", d.getError());
        assertTrue(d.getLatencyMs() > 0);
    }

    @Test
    void answersWithTheSameBoxesAsThePipelineCalledDirectly(@TempDir Path otherStorage) throws Exception {
        ServerSettings settings = ServerSettings.read(new Config(new String[] {"--storage", otherStorage.toString()},
                Map.of()), GrpcServer.DEFAULT_PORT);
        DetectionPipeline pipeline = DetectionPipeline.load(settings.pipeline(), new ResultStore(settings.storage()));
        for (byte[] frame : List.of(face, twoFaces, noFace)) {
            DetectionResult direct = pipeline.process(frame, false, "test");
            Detection overGrpc = server.blocking().predict(jpeg(frame));
            assertEquals(direct.status(), overGrpc.getStatus());
            assertEquals(direct.boxes().size(), overGrpc.getBoxesCount());
            for (int i = 0; i < direct.boxes().size(); i++) {
                inferbench.pipeline.Box box = direct.boxes().get(i);
                assertArrayEquals(new float[] {box.x(), box.y(), box.w(), box.h()}, coords(overGrpc.getBoxes(i)), 0f);
            }
        }
    }

    @Test
    void findsBothFacesOnTheTwoFaceFrame() {
        Detection d = server.blocking().predict(jpeg(twoFaces));
        assertEquals("OK", d.getStatus());
        assertEquals(2, d.getDetectionCount());
        assertEquals(List.of(0.9f, 0.9f), d.getScoresList());
    }

    @Test
    void reportsNoDetectionOnTheNoFaceFrame() {
        Detection d = server.blocking().predict(jpeg(noFace));
        assertEquals("NO_DETECTION", d.getStatus());
        assertEquals("face", d.getLabel());
        assertEquals(0, d.getDetectionCount());
        assertEquals(0, d.getBoxesCount());
        assertEquals(0, d.getScoresCount());
    }

    @Test
    void savesTheImageAndOneCsvRowMarkedGrpc() throws Exception {
        Detection d = server.blocking().predict(jpeg(face).toBuilder().setSave(true).build());
        assertEquals("OK", d.getStatus());
        assertEquals("", d.getSaveError());
        assertTrue(d.getFilename().matches("\\d{8}_\\d{6}_\\d{3}\\.jpg"), d.getFilename());
        assertTrue(Files.size(storage.resolve(d.getFilename())) > 0);
        List<String> lines = Files.readAllLines(storage.resolve(ResultStore.CSV_NAME));
        assertEquals(2, lines.size(), "header and one row: " + lines);
        assertEquals(ResultStore.CSV_HEADER, lines.get(0));
        assertTrue(lines.get(1).contains("," + d.getFilename() + ","), lines.get(1));
        assertTrue(lines.get(1).endsWith(",gRPC,OK"), lines.get(1));
    }

    @Test
    void acceptsAnEmptyOrJpgMimeTypeInAnyCase() {
        for (String mime : List.of("", "image/jpg", "IMAGE/JPEG", "Image/Jpg")) {
            Detection d = server.blocking().predict(jpeg(smallFace).toBuilder().setMime(mime).build());
            assertEquals("OK", d.getStatus(), mime);
        }
    }

    @Test
    void refusesAnotherMimeTypeWithInvalidArgument() {
        assertRefused(Status.Code.INVALID_ARGUMENT, "Only image/jpeg supported",
                jpeg(face).toBuilder().setMime("image/png").build());
    }

    @Test
    void refusesDataThatIsNotAJpegWithInvalidArgument() {
        assertRefused(Status.Code.INVALID_ARGUMENT,
                "not a JPEG: the data does not start with the JPEG SOI marker FF D8", jpeg("hello".getBytes()));
    }

    @Test
    void refusesAnEmptyImageWithInvalidArgument() {
        assertRefused(Status.Code.INVALID_ARGUMENT, "empty image: no bytes received", jpeg(new byte[0]));
    }

    @Test
    void refusesATruncatedJpegWithInvalidArgument() {
        assertRefused(Status.Code.INVALID_ARGUMENT,
                "truncated JPEG: the data does not end with the end-of-image marker FF D9",
                jpeg(Arrays.copyOf(face, face.length / 2)));
    }

    @Test
    void refusesAFrameWithHugeDimensionsWithoutDecodingIt() {
        assertRefused(Status.Code.INVALID_ARGUMENT,
                "image 20000x20000 is too large: each side must be at most 16384 pixels",
                jpeg(jpegHeaderOnly(20000, 20000)));
    }

    @Test
    void refusesAMessageOverTheLimitWithResourceExhaustedAndKeepsServing() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> server.blocking().predict(jpeg(new byte[MAX_BODY + 1])));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("exceeds maximum size " + MAX_BODY),
                e.getStatus().getDescription());
        assertEquals("OK", server.blocking().predict(jpeg(face)).getStatus());
    }

    @Test
    void servesEightChannelsAtOnceWithCorrectAnswers() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                ManagedChannel channel = server.newChannel();
                int first = c;
                done.add(clients.submit(() -> callsWithCheckedAnswers(channel, first)));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
            }
            assertEquals(24, total);
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * Sends face, two-face and no-face frames in turn on one channel, starting with the kind
     * {@code first} picks, so the channels have different frames in flight at once; checks every
     * answer.
     */
    private static int callsWithCheckedAnswers(ManagedChannel channel, int first) {
        int calls = 3;
        for (int i = first; i < first + calls; i++) {
            InferenceGrpc.InferenceBlockingStub stub = InferenceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
            switch (i % 3) {
                case 0 -> assertArrayEquals(PYTHON_BOX, coords(stub.predict(jpeg(face)).getBoxes(0)), 0f);
                case 1 -> assertEquals(2, stub.predict(jpeg(twoFaces)).getDetectionCount());
                default -> assertEquals("NO_DETECTION", stub.predict(jpeg(noFace)).getStatus());
            }
        }
        return calls;
    }

    private static void assertRefused(Status.Code code, String message, Image image) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.blocking().predict(image));
        assertEquals(code, e.getStatus().getCode());
        assertEquals(message, e.getStatus().getDescription());
    }

    /** SOI, a baseline frame header declaring the size, EOI: enough for the size check, no pixels. */
    static byte[] jpegHeaderOnly(int width, int height) {
        return new byte[] {
            (byte) 0xFF, (byte) 0xD8,
            (byte) 0xFF, (byte) 0xC0, 0, 11, 8, (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width,
            1, 1, 0x11, 0,
            (byte) 0xFF, (byte) 0xD9};
    }
}

package inferbench.rest;

import static inferbench.rest.Forms.concat;
import static inferbench.rest.Forms.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.json.JsonWriter;
import inferbench.pipeline.Box;
import inferbench.pipeline.InvalidImageException;
import inferbench.samples.SampleFrames;
import inferbench.storage.ResultStore;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** POST /predict end to end: real server, real pipeline, real frames, the bodies real clients send. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PredictHandlerTest {
    private static TestServer server;
    private static byte[] face;
    private static byte[] noFace;
    private static byte[] twoFaces;

    @BeforeAll
    static void start(@TempDir Path storage) throws Exception {
        server = TestServer.start(storage);
        face = SampleFrames.faceJpeg();
        noFace = SampleFrames.noFaceJpeg();
        twoFaces = SampleFrames.twoFaceJpeg();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    private static Map<String, Object> predictOk(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return TestServer.json(response);
    }

    /** The boxes as the pipeline itself gives them, in the JSON the server must write. */
    private static Object boxesFromThePipeline(byte[] jpeg) throws InvalidImageException {
        List<Box> boxes = server.pipeline.process(jpeg, false, PredictHandler.PROTOCOL).boxes();
        return inferbench.json.JsonReader.parse(JsonWriter.boxes(boxes));
    }

    @Test
    void findsTheSameFaceAsCallingThePipelineDirectly() throws Exception {
        Map<String, Object> reply = predictOk(server.post("/predict", Forms.contentType(Forms.PYTHON_BOUNDARY),
                Forms.fileForm(Forms.PYTHON_BOUNDARY, face)));
        assertEquals(boxesFromThePipeline(face), reply.get("boxes"));
        assertEquals(List.of(List.of(244.8, 91.2, 141.6, 141.6)), reply.get("boxes"));
        assertEquals("face", reply.get("label"));
        assertEquals(List.of(0.9), reply.get("scores"));
        assertEquals(1.0, reply.get("detection_count"));
        assertEquals("OK", reply.get("status"));
        assertEquals("720x720", reply.get("space"));
        assertEquals("", reply.get("filename"));
        assertTrue((Double) reply.get("latency_ms") > 0);
        assertFalse(reply.containsKey("save_error"));
    }

    @Test
    void answersTheSameForARawImageJpegBody() throws Exception {
        Map<String, Object> reply = predictOk(server.post("/predict", "image/jpeg", face));
        assertEquals(boxesFromThePipeline(face), reply.get("boxes"));
    }

    @Test
    void acceptsImageJpgInAnyCaseWithParameters() throws Exception {
        predictOk(server.post("/predict", "IMAGE/JPG; q=1", face));
        byte[] form = concat(Forms.part("b", face, "Content-Disposition: form-data; name=\"file\"",
                "content-type: Image/Jpeg; charset=binary"), Forms.close("b"));
        predictOk(server.post("/predict", Forms.contentType("b"), form));
    }

    @Test
    void answersNoDetectionForAFrameWithoutAFace() throws Exception {
        Map<String, Object> reply = predictOk(server.post("/predict", "image/jpeg", noFace));
        assertEquals("NO_DETECTION", reply.get("status"));
        assertEquals(List.of(), reply.get("boxes"));
        assertEquals(0.0, reply.get("detection_count"));
    }

    @Test
    void findsBothFacesOnTheTwoFaceFrame() throws Exception {
        Map<String, Object> reply = predictOk(server.post("/predict", "image/jpeg", twoFaces));
        assertEquals(2.0, reply.get("detection_count"));
        assertEquals(boxesFromThePipeline(twoFaces), reply.get("boxes"));
    }

    @Test
    void savesTheImageAndOneCsvRowWithProtocolRestWhenSaveIs1() throws Exception {
        Map<String, Object> reply = predictOk(server.post("/predict?save=1", Forms.contentType(Forms.PYTHON_BOUNDARY),
                Forms.fileForm(Forms.PYTHON_BOUNDARY, face)));
        String filename = (String) reply.get("filename");
        assertTrue(Files.size(server.storage.resolve(filename)) > 0, filename);
        List<String> rows = Files.readAllLines(server.storage.resolve(ResultStore.CSV_NAME));
        assertEquals(ResultStore.CSV_HEADER, rows.get(0));
        List<String> mine = rows.stream().filter(row -> row.contains(filename)).toList();
        assertEquals(1, mine.size());
        assertTrue(mine.get(0).endsWith(",REST,OK"), mine.get(0));
    }

    @Test
    void acceptsThePythonRequestsBodyByteForByte() throws Exception {
        byte[] body = Forms.fileForm(Forms.PYTHON_BOUNDARY, face);
        try (RawHttp connection = new RawHttp(server.port())) {
            RawHttp.Response response = connection.exchange(RawHttp.request("POST", "/predict", body,
                    "User-Agent: python-requests/2.32.3", "Accept-Encoding: gzip, deflate", "Accept: */*",
                    "Connection: keep-alive", "Content-Type: multipart/form-data; boundary=" + Forms.PYTHON_BOUNDARY));
            assertEquals(200, response.status(), response.body());
            assertEquals(boxesFromThePipeline(face), response.json().get("boxes"));
        }
    }

    @Test
    void acceptsTheCurlBodyAfterA100Continue() throws Exception {
        byte[] body = Forms.fileForm(Forms.CURL_BOUNDARY, face);
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(RawHttp.request("POST", "/predict", null, "User-Agent: curl/7.88.1", "Accept: */*",
                    "Content-Length: " + body.length, "Content-Type: multipart/form-data; boundary=" + Forms.CURL_BOUNDARY,
                    "Expect: 100-continue"));
            assertEquals(100, connection.read().status());
            RawHttp.Response response = connection.send(body).read();
            assertEquals(200, response.status(), response.body());
            assertEquals(boxesFromThePipeline(face), response.json().get("boxes"));
        }
    }

    @Test
    void findsTheFilePartAfterAPreambleAndAmongOtherParts() throws Exception {
        String b = "AaB03x";
        byte[] form = concat(text("This is the preamble, to be ignored.\r\n"),
                Forms.part(b, text("first"), "Content-Disposition: form-data; name=\"note\""),
                Forms.part(b, face, "Content-Disposition: form-data; name=\"file\"; filename=\"frame.jpg\"",
                        "Content-Type: image/jpeg"),
                Forms.part(b, noFace, "Content-Disposition: form-data; name=\"other\"; filename=\"x.jpg\"",
                        "Content-Type: image/jpeg"),
                Forms.close(b), text("epilogue"));
        Map<String, Object> reply = predictOk(server.post("/predict", Forms.contentType(b), form));
        assertEquals(1.0, reply.get("detection_count"));
    }

    @Test
    void acceptsAQuotedBoundaryAndAFileNameContainingSemicolons() throws Exception {
        String b = "quoted boundary;with=odd:chars";
        byte[] form = concat(Forms.part(b, face, "Content-Disposition: form-data; name=\"file\"; filename=\"a;b;c.jpg\"",
                "Content-Type: image/jpeg"), Forms.close(b));
        Map<String, Object> reply = predictOk(server.post("/predict", "multipart/form-data; boundary=\"" + b + "\"", form));
        assertEquals(1.0, reply.get("detection_count"));
    }
}

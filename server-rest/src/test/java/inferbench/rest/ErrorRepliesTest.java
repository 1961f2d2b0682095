package inferbench.rest;

import static inferbench.rest.Forms.concat;
import static inferbench.rest.Forms.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.pipeline.InvalidImageException;
import inferbench.rest.limits.RequestHead;
import inferbench.samples.SampleFrames;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of the REST server: the exact status, a JSON {"detail": ...}, the headers the
 * status needs, and a connection that still works afterwards where HTTP allows it.
 * (503 is covered by WorkerAdmissionTest and ServerLimitsTest, 408 by DeadlinesTest, 500 by RoutesTest.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorRepliesTest {
    private static final int LIMIT = 1024 * 1024;
    private static TestServer server;
    private static byte[] face;

    @BeforeAll
    static void start(@TempDir Path storage) throws Exception {
        server = TestServer.start(storage, "--max-body", Integer.toString(LIMIT));
        face = SampleFrames.faceJpeg();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    private static void assertDetail(int status, String detail, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(detail, TestServer.json(response).get("detail"));
    }

    private static HttpResponse<String> postForm(byte[] form, String boundary) throws Exception {
        return server.post("/predict", Forms.contentType(boundary), form);
    }

    @Test
    void refusesAMultipartBodyWithoutABoundaryWith400() throws Exception {
        assertDetail(400, "multipart body without a boundary: Content-Type needs a boundary parameter",
                server.post("/predict", "multipart/form-data", Forms.fileForm("b", face)));
    }

    @Test
    void refusesAFormMissingItsClosingBoundaryWith400() throws Exception {
        byte[] form = Forms.fileForm("b", face);
        assertDetail(400, "malformed multipart body: missing closing boundary (truncated body?)",
                postForm(Arrays.copyOf(form, form.length - 8), "b"));
    }

    @Test
    void refusesAFormWithoutAFilePartWith400() throws Exception {
        byte[] form = concat(Forms.part("b", face, "Content-Disposition: form-data; name=\"image\"",
                "Content-Type: image/jpeg"), Forms.close("b"));
        assertDetail(400, "no part named 'file' in the form", postForm(form, "b"));
    }

    @Test
    void refusesPartHeadersThatAreTooLargeWith400() throws Exception {
        byte[] form = concat(Forms.part("b", face, "Content-Disposition: form-data; name=\"file\"",
                "X-Big: " + "x".repeat(10_000)), Forms.close("b"));
        assertDetail(400, "malformed multipart body: part headers too large (over 8192 bytes)", postForm(form, "b"));
    }

    @Test
    void refusesDataThatIsNotAJpegWith400AndThePipelinesMessage() throws Exception {
        byte[] notJpeg = text("definitely not a JPEG");
        InvalidImageException expected = assertThrows(InvalidImageException.class,
                () -> server.pipeline.process(notJpeg, false, PredictHandler.PROTOCOL));
        assertDetail(400, expected.getMessage(), server.post("/predict", "image/jpeg", notJpeg));
        byte[] truncated = Arrays.copyOf(face, face.length / 2);
        InvalidImageException cutShort = assertThrows(InvalidImageException.class,
                () -> server.pipeline.process(truncated, false, PredictHandler.PROTOCOL));
        assertDetail(400, cutShort.getMessage(), server.post("/predict", "image/jpeg", truncated));
    }

    @Test
    void refusesASaveValueOtherThan0Or1With400() throws Exception {
        assertDetail(400, "invalid save value '2': use save=0 or save=1", server.post("/predict?save=2", "image/jpeg", face));
        assertDetail(400, "invalid save value 'true': use save=0 or save=1",
                server.post("/predict?save=true", "image/jpeg", face));
        assertDetail(400, "invalid save value '': use save=0 or save=1", server.post("/predict?save", "image/jpeg", face));
    }

    @Test
    void refusesAPartThatIsNotAJpegWith415() throws Exception {
        byte[] png = concat(Forms.part("b", face, "Content-Disposition: form-data; name=\"file\"; filename=\"f.png\"",
                "Content-Type: image/png"), Forms.close("b"));
        assertDetail(415, "Only image/jpeg supported", postForm(png, "b"));
        // RFC 7578 section 4.4: a part without Content-Type is text/plain
        byte[] untyped = concat(Forms.part("b", face, "Content-Disposition: form-data; name=\"file\""), Forms.close("b"));
        assertDetail(415, "Only image/jpeg supported", postForm(untyped, "b"));
    }

    @Test
    void refusesABodyThatIsNotAJpegWith415() throws Exception {
        assertDetail(415, "Only image/jpeg supported", server.post("/predict", "image/png", face));
        assertDetail(415, "Only image/jpeg supported", server.post("/predict", "application/octet-stream", face));
        assertDetail(415, "Only image/jpeg supported", server.post("/predict", null, face));
    }

    @Test
    void answersAnUnknownPathWith404() throws Exception {
        assertDetail(404, "Not Found", server.get("/nope"));
        assertDetail(404, "Not Found", server.post("/predictions", "image/jpeg", face));
        assertDetail(404, "Not Found", server.get("/healthz/"));
    }

    @Test
    void answersAWrongMethodWith405AndAnAllowHeader() throws Exception {
        HttpResponse<String> getPredict = server.get("/predict");
        assertDetail(405, "Method Not Allowed", getPredict);
        assertEquals("POST", getPredict.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> postHealth = server.post("/healthz", "image/jpeg", face);
        assertDetail(405, "Method Not Allowed", postHealth);
        assertEquals("GET", postHealth.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> deleteRoot = server.send(HttpRequest.newBuilder(server.uri("/")).DELETE());
        assertDetail(405, "Method Not Allowed", deleteRoot);
        assertEquals("GET", deleteRoot.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void refusesADeclaredBodyOverTheLimitWith413BeforeReadingIt() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            // only the headers are sent: the reply must not wait for the body
            connection.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg",
                    "Content-Length: " + (LIMIT + 1)));
            RawHttp.Response response = connection.read();
            assertEquals(413, response.status());
            assertEquals("request body is larger than the limit of " + LIMIT + " bytes", response.json().get("detail"));
            assertEquals("close", response.header("Connection"));
            // closed at once: the server does not wait (a minute, it used to) for a body it will not read
            assertTrue(connection.closedByServerWithin(Duration.ofSeconds(2)));
        }
    }

    @Tag("limits")
    @Test
    void refusesHeadersOverTheLimitWith431AndClosesTheConnection() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            RawHttp.Response response = connection.exchange(RawHttp.request("GET", "/healthz", null,
                    "X-Big: " + "x".repeat(RequestHead.MAX_BYTES)));
            assertEquals(431, response.status());
            assertEquals("request headers are larger than the limit of 16384 bytes", response.json().get("detail"));
            assertEquals("close", response.header("Connection"));
            assertTrue(connection.closedByServer());
        }
        String[] many = new String[RequestHead.MAX_FIELDS + 1];
        for (int i = 0; i < many.length; i++) {
            many[i] = "X-Field: " + i;
        }
        try (RawHttp connection = new RawHttp(server.port())) {
            RawHttp.Response response = connection.exchange(RawHttp.request("GET", "/healthz", null, many));
            assertEquals(431, response.status());
            assertEquals("more than 100 request header fields", response.json().get("detail"));
        }
    }

    @Tag("limits")
    @Test
    void resetsTheConnectionForHeadersOverTheJdksOwnLimit() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(RawHttp.request("GET", "/healthz", null, "X-Huge: " + "x".repeat(RequestHead.JDK_MAX_BYTES)));
            assertThrows(IOException.class, connection::read);
        }
    }

    @Tag("limits")
    @Test
    void refusesABadChunkSizeWith400AndClosesTheConnection() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg",
                    "Transfer-Encoding: chunked"));
            RawHttp.Response response = connection.exchange(text("zz\r\nhello\r\n0\r\n\r\n"));
            assertEquals(400, response.status());
            assertEquals("malformed chunked request body: bad chunk size or framing (RFC 9112 section 7.1)",
                    response.json().get("detail"));
            assertEquals("close", response.header("Connection"));
            assertTrue(connection.closedByServer());
        }
    }

    @Tag("limits")
    @Test
    void refusesABodyCutShortWith400() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg", "Content-Length: 100"));
            RawHttp.Response response = connection.send(new byte[40]).endOfRequest().read();
            assertEquals(400, response.status());
            assertEquals("request body ended after 40 of 100 bytes", response.json().get("detail"));
        }
    }

    /** RFC 9110 section 8.6: digits only. The JDK refuses "-1" and "4 3" itself (in HTML); "+43" is refused here. */
    @Tag("limits")
    @Test
    void refusesAContentLengthThatIsNotDigitsOnlyWith400BeforeReadingTheBody() throws Exception {
        for (String length : List.of("+43", "-1", "4 3")) {
            try (RawHttp connection = new RawHttp(server.port())) {
                RawHttp.Response response = connection.exchange(RawHttp.request("POST", "/predict", null,
                        "Content-Type: image/jpeg", "Content-Length: " + length));
                assertEquals(400, response.status(), length);
                assertEquals("close", response.header("Connection"), length);
                if (length.equals("+43")) {
                    assertEquals("invalid Content-Length '+43': digits only (RFC 9110 section 8.6)",
                            response.json().get("detail"));
                } else { // the JDK's own refusal, in its own words (ServerImpl.Exchange.run)
                    assertEquals(length.equals("-1") ? "<h1>400 Bad Request</h1>Illegal Content-Length value"
                            : "<h1>400 Bad Request</h1>NumberFormatException thrown", response.body(), length);
                }
                assertTrue(connection.closedByServerWithin(Duration.ofSeconds(2)), length);
            }
        }
    }

    @Tag("limits")
    @Test
    void refusesAChunkedBodyOverTheLimitWith413() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg",
                    "Transfer-Encoding: chunked"));
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent <= LIMIT; sent += chunk.length) {
                connection.send(Integer.toHexString(chunk.length) + "\r\n").send(chunk).send("\r\n");
            }
            connection.send("0\r\n\r\n");
            RawHttp.Response response = connection.read();
            assertEquals(413, response.status());
            assertEquals("request body is larger than the limit of " + LIMIT + " bytes", response.json().get("detail"));
            assertEquals("close", response.header("Connection"));
            assertTrue(connection.closedByServer());
        }
    }

    @Test
    void readsAChunkedBodyWithinTheLimit() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            connection.send(RawHttp.request("POST", "/predict", null, "Content-Type: image/jpeg",
                    "Transfer-Encoding: chunked"));
            int half = face.length / 2;
            connection.send(Integer.toHexString(half) + "\r\n").send(Arrays.copyOf(face, half)).send("\r\n");
            connection.send(Integer.toHexString(face.length - half) + "\r\n")
                    .send(Arrays.copyOfRange(face, half, face.length)).send("\r\n0\r\n\r\n");
            RawHttp.Response response = connection.read();
            assertEquals(200, response.status(), response.body());
            assertEquals(1.0, response.json().get("detection_count"));
        }
    }

    @Test
    void keepsTheConnectionUsableAfterAnError() throws Exception {
        try (RawHttp connection = new RawHttp(server.port())) {
            assertEquals(415, connection.exchange(RawHttp.request("POST", "/predict", face, "Content-Type: image/png")).status());
            RawHttp.Response badSave = connection.exchange(RawHttp.request("POST", "/predict?save=9", face,
                    "Content-Type: image/jpeg"));
            assertEquals(400, badSave.status());
            assertEquals("invalid save value '9': use save=0 or save=1", badSave.json().get("detail"));
            assertEquals(404, connection.exchange(RawHttp.request("POST", "/nope", face, "Content-Type: image/jpeg")).status());
            RawHttp.Response ok = connection.exchange(RawHttp.request("POST", "/predict", face, "Content-Type: image/jpeg"));
            assertEquals(200, ok.status(), ok.body());
        }
    }
}

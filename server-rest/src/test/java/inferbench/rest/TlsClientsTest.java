package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleCertificates;
import inferbench.tls.ClientTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST server over TLS (the JDK's HttpsServer): the same handlers and limits as in
 * plaintext. The handshake happens on a connection thread when the request line is first read,
 * so a client that stops in the middle of it is held to the header deadline like one that
 * stops in the middle of its headers, and a flood of them takes connection threads, never a
 * detection worker.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsClientsTest {
    /** The first bytes of a TLS ClientHello: a record header and the start of the handshake message. */
    static final byte[] HALF_A_HANDSHAKE = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
    private static final int STALLED_HANDSHAKES = 60;

    @Test
    void servesTlsClientsWhilePlaintextIsRefusedAndStalledHandshakesWaitForTheirDeadline(@TempDir Path dir)
            throws Exception {
        SampleCertificates.PemFiles certificates = SampleCertificates.localhost(dir.resolve("certs"));
        byte[] small = TestServer.smallJpeg();
        try (TestServer server = TestServer.start(dir.resolve("storage"), "--header-timeout", "1",
                "--workers", "1", "--queue", "1",
                "--tls-cert", certificates.cert().toString(), "--tls-key", certificates.key().toString())) {
            SSLContext trusting = ClientTls.trusting(certificates.ca()).sslContext();
            HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting)
                    .build();
            HttpRequest predict = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/predict"))
                    .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(small))
                    .timeout(Duration.ofSeconds(30)).build();
            assertEquals(200, https.send(predict, HttpResponse.BodyHandlers.ofString()).statusCode());

            RawHttp plaintext = new RawHttp(server.port()).send(RawHttp.request("GET", "/healthz", null));
            assertTrue(plaintext.closedByServerWithin(Duration.ofSeconds(1)), "a plaintext request is closed at once");

            List<RawHttp> stalled = new ArrayList<>();
            try {
                long start = System.nanoTime();
                for (int i = 0; i < STALLED_HANDSHAKES; i++) {
                    stalled.add(new RawHttp(server.port()).send(HALF_A_HANDSHAKE));
                }
                // a client that finished its handshake, then stopped in the middle of its headers
                stalled.add(RawHttp.tls(server.port(), trusting)
                        .send("POST /predict HTTP/1.1\r\nHost: localhost\r\nCont"));
                for (int i = 0; i < 5; i++) {
                    long requestStart = System.nanoTime();
                    assertEquals(200, https.send(predict, HttpResponse.BodyHandlers.ofString()).statusCode());
                    assertTrue(System.nanoTime() - requestStart < TimeUnit.SECONDS.toNanos(2), "a request waited");
                }
                for (RawHttp connection : stalled) {
                    assertTrue(connection.closedByServerWithin(Duration.ofSeconds(10)));
                }
                long held = System.nanoTime() - start;
                assertTrue(held > TimeUnit.MILLISECONDS.toNanos(900) && held < TimeUnit.SECONDS.toNanos(5),
                        "closed after " + held / 1_000_000 + " ms, not at the 1 s header deadline");
            } finally {
                for (RawHttp connection : stalled) {
                    connection.close();
                }
            }
        }
    }
}

package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleCertificates;
import inferbench.server.ServerMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is the REST server's own in main: its help, its port-in-use error from the JDK's
 * HttpServer, its HTTP probe. What main does for both servers is tested once, in common
 * (inferbench.server.ServerMainTest).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RestServerMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RestServerMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsTheUsageAndExitsZeroOnHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--max-body BYTES"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--probe"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("POST /predict"));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith(ServerMain.EXIT_STATUS_HELP));
    }

    @Test
    void exitsOneAndSaysWhatToDoWhenThePortIsInUse(@TempDir Path storage) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(1, run("--port", String.valueOf(port), "--bind", "127.0.0.1", "--storage", storage.toString()));
            assertEquals("server-rest: port " + port + " is in use: stop the other server or pass --port"
                    + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void probeExitsZeroWhenTheServerIsHealthy(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage)) {
            assertEquals(0, run("--probe", "--port", String.valueOf(test.port())));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("healthy: "), out.toString());
        }
    }

    @Test
    void exitsTwoNamingTheKeyFileAndHowToConvertAPkcs1Key(@TempDir Path dir) throws Exception {
        SampleCertificates.PemFiles certificates = SampleCertificates.localhost(dir);
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n");
        assertEquals(2, run("--port", "0", "--storage", dir.resolve("storage").toString(),
                "--tls-cert", certificates.cert().toString(), "--tls-key", pkcs1.toString()));
        assertEquals("server-rest: --tls-key " + pkcs1 + ": a \"BEGIN RSA PRIVATE KEY\" key (PKCS#1); give it as"
                + " PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + pkcs1 + " -out key.pem" + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void probeSpeaksTlsTrustingTheCaItIsGiven(@TempDir Path dir) throws Exception {
        SampleCertificates.PemFiles certificates = SampleCertificates.localhost(dir);
        try (TestServer test = TestServer.start(dir.resolve("storage"), "--tls-cert", certificates.cert().toString(),
                "--tls-key", certificates.key().toString())) {
            String port = String.valueOf(test.port());
            assertEquals(0, run("--probe", "--port", port, "--tls", "--ca", certificates.ca().toString()));
            assertEquals(1, run("--probe", "--port", port, "--tls"));
            assertEquals(1, run("--probe", "--port", port));
            String[] lines = out.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
            assertTrue(lines[0].startsWith("healthy: https://127.0.0.1:" + port), lines[0]);
            assertTrue(lines[1].endsWith("(the server's certificate is not trusted: no CA in the JDK's trust store"
                    + " signed it (give its CA with --ca FILE))"), lines[1]);
            assertTrue(lines[2].endsWith("(the server closed the connection without an answer: if this port serves"
                    + " TLS, use --tls)"), lines[2]);
        }
    }

    @Test
    void probeExitsOneWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket closedAgain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closedAgain.getLocalPort();
        }
        assertEquals(1, run("--probe", "--port", String.valueOf(port)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("unhealthy: "), out.toString());
    }
}

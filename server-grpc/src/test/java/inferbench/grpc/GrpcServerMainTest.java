package inferbench.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What main answers before and instead of serving: help, bad configuration, a busy port, the probe. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GrpcServerMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GrpcServerMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsTheUsageAndExitsZeroOnHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--max-body BYTES"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--probe"));
    }

    @Test
    void exitsTwoWithOneLineOnAnUnknownOption() {
        assertEquals(2, run("--prot", "50051"));
        assertEquals("server-grpc: unknown option --prot (see --help)" + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exitsTwoWithOneLineOnAnInvalidNumber() {
        assertEquals(2, run("--workers", "many"));
        assertEquals("server-grpc: --workers: expected a whole number, got 'many'" + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exitsOneAndSaysWhatToDoWhenThePortIsInUse(@TempDir Path storage) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(1, run("--port", String.valueOf(port), "--bind", "127.0.0.1", "--metrics-port", "0",
                    "--storage", storage.toString()));
            assertEquals("server-grpc: port " + port + " is in use: stop the other server or pass --port"
                    + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void exitsOneAndSaysWhatToDoWhenTheMetricsPortIsInUse(@TempDir Path storage) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(1, run("--port", "0", "--bind", "127.0.0.1", "--metrics-port", String.valueOf(port),
                    "--storage", storage.toString()));
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("server-grpc: cannot listen on 127.0.0.1:" + port
                    + " for metrics: "), err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("(--metrics-port N chooses another port, 0 turns"
                    + " metrics off)"), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void probeExitsZeroWhenTheServerIsServing(@TempDir Path storage) throws Exception {
        try (TestServer test = TestServer.start(storage)) {
            int port = test.server.port();
            assertEquals(0, run("--probe", "--port", String.valueOf(port)));
            assertEquals("127.0.0.1:" + port + " SERVING" + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void probeSpeaksTlsTrustingTheCaItIsGiven(@TempDir Path dir) throws Exception {
        SampleCertificates.PemFiles certificates = SampleCertificates.localhost(dir);
        try (TestServer test = TestServer.start(dir.resolve("storage"), "--tls-cert", certificates.cert().toString(),
                "--tls-key", certificates.key().toString())) {
            String port = String.valueOf(test.server.port());
            assertEquals(0, run("--probe", "--port", port, "--tls", "--ca", certificates.ca().toString()));
            assertEquals(1, run("--probe", "--port", port, "--tls"));
            String[] lines = out.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
            assertEquals("127.0.0.1:" + port + " SERVING", lines[0]);
            assertEquals("127.0.0.1:" + port + " UNAVAILABLE: the server's certificate is not trusted: no CA in the"
                    + " JDK's trust store signed it (give its CA with --ca FILE)", lines[1]);
        }
    }

    @Test
    void probeExitsOneWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket closedAgain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closedAgain.getLocalPort();
        }
        assertEquals(1, run("--probe", "--port", String.valueOf(port)));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("127.0.0.1:" + port + " UNAVAILABLE"), out.toString());
    }
}

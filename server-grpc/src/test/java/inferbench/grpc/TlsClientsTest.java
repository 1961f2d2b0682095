package inferbench.grpc;

import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleCertificates;
import inferbench.samples.SampleFrames;
import inferbench.tls.ClientTls;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gRPC server over TLS, with each TLS implementation. The handshake is part of what
 * {@code --header-timeout} bounds (grpc's handshake timeout covers the whole negotiation), and
 * it runs on Netty's event loops: a client that stops in the middle of it is closed at that
 * deadline, a flood of them takes no detection worker, and a call stalled inside TLS is ended at
 * the body deadline as in plaintext.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsClientsTest {
    /** The first bytes of a TLS ClientHello: a record header and the start of the handshake message. */
    private static final byte[] HALF_A_HANDSHAKE = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03,
            0x03};
    private static final int STALLED_HANDSHAKES = 60;

    private static TestServer start(Path dir, SampleCertificates.PemFiles certificates, String... flags)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--tls-cert", certificates.cert().toString(),
                "--tls-key", certificates.key().toString()));
        args.addAll(List.of(flags));
        return TestServer.start(dir.resolve("storage"), args.toArray(String[]::new));
    }

    private static ManagedChannel tlsChannel(int port, SampleCertificates.PemFiles certificates) throws IOException {
        return Grpc.newChannelBuilderForAddress("localhost", port,
                TlsChannelCredentials.newBuilder().trustManager(certificates.ca().toFile()).build()).build();
    }

    private static Detection predict(ManagedChannel channel, Image image) {
        return InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS,
                TimeUnit.SECONDS).predict(image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void eachProviderServesTlsAndSaysWhichItIs(String provider, @TempDir Path dir) throws Exception {
        SampleCertificates.PemFiles certificates = SampleCertificates.localhost(dir.resolve("certs"));
        try (TestServer server = start(dir, certificates, "--tls-provider", provider)) {
            assertTrue(server.server.tls().contains(provider.equals("jdk") ? "through the JDK's TLS"
                    : "through OpenSSL (BoringSSL"), server.server.tls());
            ManagedChannel channel = tlsChannel(server.server.port(), certificates);
            try {
                assertEquals("OK", predict(channel, jpeg(SampleFrames.faceJpeg())).getStatus());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Tag("limits")
    @Test
    void servesTlsClientsWhilePlaintextIsRefusedAndStalledHandshakesAndCallsWaitForTheirDeadlines(@TempDir Path dir)
            throws Exception {
        SampleCertificates.PemFiles certificates = SampleCertificates.localhost(dir.resolve("certs"));
        Image frame = jpeg(PredictStreamTest.small(SampleFrames.faceFrame(1280, 720)));
        try (TestServer server = start(dir, certificates, "--header-timeout", "1", "--body-timeout", "1",
                "--workers", "1", "--queue", "1")) {
            int port = server.server.port();
            ManagedChannel tls = tlsChannel(port, certificates);
            ManagedChannel plaintext = Grpc.newChannelBuilderForAddress("127.0.0.1", port,
                    InsecureChannelCredentials.create()).build();
            List<Socket> stalled = new ArrayList<>();
            try {
                assertEquals("OK", predict(tls, frame).getStatus());
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                        () -> predict(plaintext, frame));
                assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());

                long start = System.nanoTime();
                for (int i = 0; i < STALLED_HANDSHAKES; i++) {
                    Socket socket = RawHttp2Connection.connectSilently(port);
                    socket.getOutputStream().write(HALF_A_HANDSHAKE);
                    stalled.add(socket);
                }
                try (RawHttp2Connection stalledCall = RawHttp2Connection.openTls(port,
                        ClientTls.trusting(certificates.ca()).sslContext())) {
                    int stream = stalledCall.startCall("img.Inference/Predict");
                    stalledCall.sendPartialMessage(stream, 100_000, 10_000);
                    for (int i = 0; i < 5; i++) {
                        long requestStart = System.nanoTime();
                        assertEquals("OK", predict(tls, frame).getStatus());
                        assertTrue(System.nanoTime() - requestStart < TimeUnit.SECONDS.toNanos(2), "a call waited");
                    }
                    for (Socket socket : stalled) {
                        assertTrue(closedWithin(socket, Duration.ofSeconds(10)), "a stalled handshake is closed");
                    }
                    long held = System.nanoTime() - start;
                    assertTrue(held > TimeUnit.MILLISECONDS.toNanos(900) && held < TimeUnit.SECONDS.toNanos(5),
                            "closed after " + held / 1_000_000 + " ms, not at the 1 s header deadline");
                    assertTrue(RawHttp2Connection.awaitAll(stalledCall.resetStreams, Set.of(stream),
                            Duration.ofSeconds(10)), "the call stalled inside TLS is ended at the body deadline");
                }
            } finally {
                for (Socket socket : stalled) {
                    socket.close();
                }
                tls.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                plaintext.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** True if the server closes the connection (end of stream, or a reset) within the time, sending nothing. */
    private static boolean closedWithin(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                if (in.read() == -1) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}

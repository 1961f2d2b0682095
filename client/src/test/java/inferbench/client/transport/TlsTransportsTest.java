package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.pipeline.DetectionPipeline;
import inferbench.samples.SampleCertificates;
import inferbench.samples.SampleFrames;
import inferbench.tls.ClientTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every transport over TLS, and what each says when TLS is what goes wrong: an untrusted
 * certificate, a certificate for another host name, a TLS client at a plaintext port and the
 * other way round. Each such failure comes at once, well within the time limit, never as a hang.
 */
@Timeout(60)
class TlsTransportsTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    /** A failure TLS explains is seen in the first exchange, not at the time limit. */
    private static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static TestServers plaintext;
    private static TestServers tls;
    private static SampleCertificates.PemFiles certificates;
    private static byte[] face;

    enum Kind {
        REST_MULTIPART, REST_MULTIPART_TUNED, GRPC_UNARY, GRPC_UNARY_NO_DEADLINE, GRPC_STREAM;

        /** @param host the host name the client connects by: the certificate names "localhost" only */
        Transport open(TestServers servers, String host, ClientTls clientTls) {
            String scheme = clientTls.enabled() ? "https" : "http";
            URI rest = URI.create(scheme + "://" + host + ":" + servers.rest.address().getPort() + "/predict");
            String grpc = host + ":" + servers.grpc.port();
            return switch (this) {
                case REST_MULTIPART -> new RestTransport(rest, RestTransport.Body.MULTIPART, RestTransport.Client.JDK,
                        LIMIT, clientTls);
                case REST_MULTIPART_TUNED -> new RestTransport(rest, RestTransport.Body.MULTIPART,
                        RestTransport.Client.TUNED, LIMIT, clientTls);
                case GRPC_UNARY -> new GrpcUnaryTransport(grpc, GrpcUnaryTransport.TimeLimit.DEADLINE, LIMIT,
                        clientTls);
                case GRPC_UNARY_NO_DEADLINE -> new GrpcUnaryTransport(grpc, GrpcUnaryTransport.TimeLimit.WAITING_THREAD,
                        LIMIT, clientTls);
                case GRPC_STREAM -> new GrpcStreamTransport(grpc, LIMIT, clientTls);
            };
        }
    }

    @BeforeAll
    static void startServers(@TempDir Path dir) throws Exception {
        certificates = SampleCertificates.write(dir.resolve("certs"), "localhost");
        plaintext = TestServers.start(dir.resolve("plaintext"));
        DetectionPipeline pipeline = plaintext.pipeline;
        tls = TestServers.start(pipeline, dir.resolve("tls"), 0, 0, "--tls-cert", certificates.cert().toString(),
                "--tls-key", certificates.key().toString());
        face = SampleFrames.faceJpeg();
    }

    @AfterAll
    static void stopServers() throws Exception {
        tls.close();
        plaintext.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void answersOverTlsAndSaysWhatWentWrongOtherwise(Kind kind) throws Exception {
        ClientTls trusting = ClientTls.trusting(certificates.ca());
        try (Transport transport = kind.open(tls, "localhost", trusting)) {
            Reply reply = transport.send(face, false);
            assertTrue(reply.ok(), reply.error());
            assertEquals(1, reply.boxes().size());
        }
        assertFails(kind.open(tls, "localhost", ClientTls.trusting(null)),
                "the server's certificate is not trusted: no CA in the JDK's trust store signed it");
        assertFails(kind.open(tls, "127.0.0.1", trusting), "the server's certificate is not for this host name");
        assertFails(kind.open(plaintext, "localhost", trusting),
                "the server answered in plaintext: this port does not serve TLS (leave out --tls)");
        assertFails(kind.open(tls, "localhost", ClientTls.PLAINTEXT), "if this port serves TLS, use --tls");
    }

    private static void assertFails(Transport transport, String says) throws Exception {
        try (transport) {
            long start = System.nanoTime();
            Exception failure = assertThrows(Exception.class, () -> transport.send(face, false));
            assertTrue(String.valueOf(failure).contains(says), transport.name() + ": " + failure);
            assertTrue(System.nanoTime() - start < PROMPT_NANOS, transport.name() + " took "
                    + (System.nanoTime() - start) / 1_000_000 + " ms to fail");
        }
        // the servers go on serving
        try (Transport working = Kind.GRPC_UNARY.open(tls, "localhost", ClientTls.trusting(certificates.ca()))) {
            assertTrue(working.send(face, false).ok());
        }
    }
}

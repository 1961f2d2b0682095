package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleCertificates;
import inferbench.samples.SampleFrames;
import inferbench.tls.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Both servers twice, over TLS and in plaintext, and the checks every transport must pass with
 * them: an answer over TLS, and at once, well within the time limit, the words for each way TLS
 * goes wrong (an untrusted certificate, a certificate for another host name, a TLS client at a
 * plaintext port and the other way round), with the servers serving on. The client's transports
 * and the benchmark's tuned ones are checked alike: a test class registers one
 * ({@code @RegisterExtension static final TlsCases CASES = new TlsCases();}), which starts the
 * servers before its tests and stops them after.
 */
public final class TlsCases implements BeforeAllCallback, AfterAllCallback {
    /** A failure TLS explains is seen in the first exchange, not at the time limit. */
    private static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Opens one transport to the REST server at {@code restUrl} or the gRPC server at {@code grpcTarget}. */
    public interface Opener {
        Transport open(URI restUrl, String grpcTarget, ClientTls tls);
    }

    private Path dir;
    private TestServers plaintext;
    private TestServers tls;
    private SampleCertificates.PemFiles certificates;
    private byte[] face;

    /** The certificate names "localhost" only, so a client that connects to 127.0.0.1 meets another host name. */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("tls-cases-");
        certificates = SampleCertificates.write(dir.resolve("certs"), "localhost");
        plaintext = TestServers.start(dir.resolve("plaintext"));
        tls = TestServers.start(plaintext.pipeline, dir.resolve("tls"), 0, 0, "--tls-cert",
                certificates.cert().toString(), "--tls-key", certificates.key().toString());
        face = SampleFrames.faceJpeg();
    }

    public void check(Opener opener) throws Exception {
        ClientTls trusting = ClientTls.trusting(certificates.ca());
        try (Transport transport = open(opener, tls, "localhost", trusting)) {
            Reply reply = transport.send(face, false);
            assertTrue(reply.ok(), reply.error());
            assertEquals(1, reply.boxes().size());
        }
        assertFails(open(opener, tls, "localhost", ClientTls.trusting(null)),
                "the server's certificate is not trusted: no CA in the JDK's trust store signed it");
        assertFails(open(opener, tls, "127.0.0.1", trusting), "the server's certificate is not for this host name");
        assertFails(open(opener, plaintext, "localhost", trusting),
                "the server answered in plaintext: this port does not serve TLS (leave out --tls)");
        assertFails(open(opener, tls, "localhost", ClientTls.PLAINTEXT), "if this port serves TLS, use --tls");
    }

    private static Transport open(Opener opener, TestServers servers, String host, ClientTls clientTls) {
        URI rest = URI.create((clientTls.enabled() ? "https" : "http") + "://" + host + ":"
                + servers.rest.address().getPort() + "/predict");
        return opener.open(rest, host + ":" + servers.grpc.port(), clientTls);
    }

    private void assertFails(Transport transport, String says) throws Exception {
        try (transport) {
            long start = System.nanoTime();
            Exception failure = assertThrows(Exception.class, () -> transport.send(face, false));
            assertTrue(String.valueOf(failure).contains(says), transport.name() + ": " + failure);
            assertTrue(System.nanoTime() - start < PROMPT_NANOS, transport.name() + " took "
                    + (System.nanoTime() - start) / 1_000_000 + " ms to fail");
        }
        // the servers go on serving
        try (Transport working = new GrpcUnaryTransport("localhost:" + tls.grpc.port(), Transport.DEFAULT_TIMEOUT,
                ClientTls.trusting(certificates.ca()))) {
            assertTrue(working.send(face, false).ok());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException, IOException {
        tls.close();
        plaintext.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}

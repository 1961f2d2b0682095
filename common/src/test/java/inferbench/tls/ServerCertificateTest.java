package inferbench.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleCertificates;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificateTest {
    @TempDir
    static Path dir;
    static SampleCertificates.PemFiles files;

    @BeforeAll
    static void makeCertificates() {
        files = SampleCertificates.localhost(dir.resolve("good"));
    }

    private static IllegalArgumentException refused(Path cert, Path key) {
        return assertThrows(IllegalArgumentException.class,
                () -> ServerCertificate.load(new TlsSettings(cert, key, TlsSettings.Provider.AUTO)));
    }

    /** The files make a working pair: a client trusting the CA connects to "localhost" over TLS 1.3. */
    @Test
    void aClientTrustingTheCaShakesHandsWithTheServer() throws Exception {
        ServerCertificate certificate = ServerCertificate.load(
                new TlsSettings(files.cert(), files.key(), TlsSettings.Provider.AUTO));
        assertTrue(certificate.describe().matches("CN=localhost for localhost, 127\\.0\\.0\\.1, valid until .*"),
                certificate.describe());
        SSLContext server = certificate.sslContext();
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            listener.setSSLParameters(Tls.parameters(server, false));
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.getOutputStream().write(socket.getInputStream().read());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            SSLContext client = Tls.clientContext(files.ca());
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost",
                    listener.getLocalPort())) {
                socket.setSSLParameters(Tls.parameters(client, true));
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write(42);
                assertEquals(42, in.read());
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
            echo.join();
        }
    }

    @Test
    void sayWhatIsWrongWithEachFile() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----\n");
        assertTrue(refused(files.cert(), pkcs1).getMessage().endsWith("a \"BEGIN RSA PRIVATE KEY\" key (PKCS#1);"
                + " give it as PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + pkcs1 + " -out key.pem"));
        assertEquals("--tls-key " + files.cert() + ": no \"BEGIN PRIVATE KEY\" block in it (it holds CERTIFICATE:"
                + " the certificate, not its key?)", refused(files.cert(), files.cert()).getMessage());
        assertTrue(refused(files.key(), files.key()).getMessage().startsWith("--tls-cert " + files.key()
                + ": no \"BEGIN CERTIFICATE\" block in it (it holds PRIVATE KEY)"));
        SampleCertificates.PemFiles other = SampleCertificates.localhost(dir.resolve("other"));
        assertTrue(refused(files.cert(), other.key()).getMessage().startsWith("--tls-key " + other.key()
                + " is not the key of the first certificate in --tls-cert " + files.cert()));
        assertTrue(refused(dir.resolve("missing.pem"), files.key()).getMessage().startsWith("--tls-cert "
                + dir.resolve("missing.pem") + ": cannot read it (NoSuchFileException"));
    }
}

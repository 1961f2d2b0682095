package inferbench.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server's certificate chain and private key, read from {@link TlsSettings}' PEM files and
 * checked before the server starts (key and certificate belong together, the certificate is
 * valid today), so a mistake is one clear line at startup instead of every client's handshake
 * failing. Both servers take their TLS from here: REST as an {@link SSLContext}, gRPC as the
 * chain and key that Netty's own context builder takes.
 */
public final class ServerCertificate {
    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private ServerCertificate(List<X509Certificate> chain, PrivateKey key) {
        this.chain = chain;
        this.key = key;
    }

    /** Reads and checks the files; an IllegalArgumentException names the file and what is wrong. */
    public static ServerCertificate load(TlsSettings settings) {
        List<X509Certificate> chain = Pem.certificates(settings.certFile(), "--tls-cert");
        PrivateKey key = Pem.privateKey(settings.keyFile(), "--tls-key");
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(key, leaf)) {
            throw new IllegalArgumentException("--tls-key " + settings.keyFile() + " is not the key of the first"
                    + " certificate in --tls-cert " + settings.certFile() + " (" + leaf.getSubjectX500Principal()
                    + "); the server's own certificate comes first in the file, then its CAs");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException("--tls-cert " + settings.certFile() + ": the certificate expired on "
                    + day(leaf.getNotAfter()) + "; make a new one (make certs)");
        } catch (CertificateNotYetValidException e) {
            throw new IllegalArgumentException("--tls-cert " + settings.certFile() + ": the certificate is valid only"
                    + " from " + day(leaf.getNotBefore()) + " (is this machine's clock right?)");
        }
        return new ServerCertificate(chain, key);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey key() {
        return key;
    }

    /** The JDK's TLS for the REST server: this certificate, TLS 1.3 and 1.2 ({@link Tls#PROTOCOLS}). */
    public SSLContext sslContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK's TLS cannot take this certificate and key: " + e.getMessage(), e);
        }
    }

    /**
     * The JDK's HTTPS server with this certificate, TLS 1.3 and 1.2: the same server as
     * {@code HttpServer.create}, each connection's streams wrapped in TLS. The JDK does the
     * handshake when it first reads the request line, on the connection's thread, so the REST
     * server's header deadline bounds it too.
     */
    public HttpsServer httpsServer(InetSocketAddress address, int backlog) throws IOException {
        SSLContext tls = sslContext();
        HttpsServer https = HttpsServer.create(address, backlog);
        https.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setSSLParameters(Tls.parameters(tls, false));
            }
        });
        return https;
    }

    /** The server's startup line about its TLS: "TLSv1.3, TLSv1.2 through {@code provider}; certificate ...". */
    public String serving(String provider) {
        return String.join(", ", Tls.PROTOCOLS) + " through " + provider + "; certificate " + describe();
    }

    /** "CN=localhost for localhost, 127.0.0.1, valid until 2027-03-01". */
    public String describe() {
        X509Certificate leaf = chain.get(0);
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                alternatives.forEach(name -> names.add(String.valueOf(name.get(1))));
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable names)");
        }
        return leaf.getSubjectX500Principal().getName() + (names.isEmpty() ? "" : " for " + String.join(", ", names))
                + ", valid until " + day(leaf.getNotAfter());
    }

    /** Signs a few random bytes with the key and checks them with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // RSASSA-PSS needs parameters: left to the handshake
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another kind than the certificate's
        }
    }

    private static LocalDate day(java.util.Date date) {
        return date.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
    }
}

package inferbench.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * What servers and clients share about TLS: the protocol versions, and whom a client trusts.
 * A client trusts the JDK's trust store (the public CAs) unless given {@code --ca FILE}, the
 * PEM certificate of a private CA such as the one {@code make certs} makes; it always checks
 * that the certificate names the host it connects to.
 */
public final class Tls {
    /** TLS 1.3 first; 1.2 for older clients. 1.1 and 1.0 are broken and off in the JDK already. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private Tls() {
    }

    /** The trust managers for {@code --ca FILE}, or the JDK's own trust store when {@code ca} is null. */
    public static TrustManager[] trustManagers(Path ca) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (ca == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate certificate : Pem.certificates(ca, "--ca")) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
                trust.init(store);
            }
            return trust.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the trusted certificates: " + e.getMessage(), e);
        }
    }

    /** A client's TLS: trusting {@code ca} (or the JDK's trust store), TLS 1.3 and 1.2. */
    public static SSLContext clientContext(Path ca) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(ca), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS is not available: " + e.getMessage(), e);
        }
    }

    /** TLS 1.3 and 1.2 only; with {@code checkHost}, the certificate must name the host connected to. */
    public static SSLParameters parameters(SSLContext context, boolean checkHost) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        if (checkHost) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return parameters;
    }
}

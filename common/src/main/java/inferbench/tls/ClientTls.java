package inferbench.tls;

import inferbench.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A client's TLS, as the desktop client, the benchmark and the servers' {@code --probe} take it:
 * {@code --tls} (TLS), and {@code --ca FILE} (TLS_CA), the PEM certificate of the CA to trust
 * instead of the JDK's trust store. The host name is always checked against the certificate.
 *
 * @param ca the CA to trust, or null for the JDK's trust store
 */
public record ClientTls(boolean enabled, Path ca) {
    public static final ClientTls PLAINTEXT = new ClientTls(false, null);

    public static final String USAGE = """
              --tls             connect with TLS (TLS=1): https for REST, TLS for gRPC; the server's
                                certificate must name the host connected to
              --ca FILE         with --tls: trust the CA certificate(s) in this PEM file, such as
                                certs/ca.pem from make certs (TLS_CA, default: the JDK's trust store)
            """;

    public static ClientTls read(Config config) {
        boolean enabled = config.getBoolean("tls", "TLS", false);
        String ca = config.get("ca", "TLS_CA", null);
        if (!enabled) {
            if (config.has("ca")) {
                throw new IllegalArgumentException("--ca goes with --tls");
            }
            return PLAINTEXT;
        }
        if (ca != null && !Files.isReadable(Path.of(ca))) {
            throw new IllegalArgumentException("--ca / TLS_CA " + ca + ": no such readable file");
        }
        return new ClientTls(true, ca == null ? null : Path.of(ca));
    }

    public static ClientTls trusting(Path ca) {
        return new ClientTls(true, ca);
    }

    public TrustManager[] trustManagers() {
        return Tls.trustManagers(ca);
    }

    public SSLContext sslContext() {
        return Tls.clientContext(ca);
    }

    /** "the CA in certs/ca.pem" or "the JDK's trust store": whom the client trusts, for messages. */
    public String trusted() {
        return ca == null ? "the JDK's trust store" : "the CA in " + ca;
    }
}

package inferbench.tls;

import inferbench.config.Config;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A server's TLS: its certificate chain and private key as PEM files ({@code --tls-cert},
 * {@code --tls-key}), and for gRPC which TLS implementation encrypts. Both files, or neither
 * (plaintext, the default).
 */
public record TlsSettings(Path certFile, Path keyFile, Provider provider) {

    /**
     * Who does the encryption for the gRPC server. grpc-netty-shaded bundles netty-tcnative, a
     * build of BoringSSL, for Linux, macOS and Windows on x86-64 and arm64; elsewhere only the
     * JDK's own TLS is there. The REST server always uses the JDK's.
     */
    public enum Provider {
        /** OpenSSL (BoringSSL) when it loads, else the JDK: what grpc-java does by default. */
        AUTO,
        OPENSSL,
        JDK;

        static Provider parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--tls-provider / TLS_PROVIDER: auto, openssl or jdk, got '"
                        + text + "'");
            }
        }
    }

    public static final String USAGE = """
              --tls-cert FILE   serve TLS (1.3 and 1.2) with this PEM certificate chain, the server's
                                first (TLS_CERT; with --tls-key; default: plaintext)
              --tls-key FILE    the certificate's private key, PEM PKCS#8 "BEGIN PRIVATE KEY", not
                                encrypted (TLS_KEY)
              --tls-provider P  gRPC: who encrypts: auto (OpenSSL, i.e. the BoringSSL bundled with
                                grpc-netty-shaded, where it loads, else the JDK), openssl or jdk
                                (TLS_PROVIDER, default auto); REST always uses the JDK's
            """;

    /** The TLS settings given, or null for plaintext. */
    public static TlsSettings read(Config config) {
        String cert = config.get("tls-cert", "TLS_CERT", null);
        String key = config.get("tls-key", "TLS_KEY", null);
        Provider provider = Provider.parse(config.get("tls-provider", "TLS_PROVIDER", "auto"));
        if (cert == null && key == null) {
            if (config.has("tls-provider")) {
                throw new IllegalArgumentException("--tls-provider goes with --tls-cert and --tls-key");
            }
            return null;
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException(cert == null
                    ? "--tls-key / TLS_KEY needs --tls-cert / TLS_CERT too (the certificate chain, PEM)"
                    : "--tls-cert / TLS_CERT needs --tls-key / TLS_KEY too (the certificate's private key, PEM)");
        }
        return new TlsSettings(Path.of(cert), Path.of(key), provider);
    }
}

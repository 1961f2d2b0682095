package inferbench.grpc;

import inferbench.tls.ServerCertificate;
import inferbench.tls.Tls;
import inferbench.tls.TlsSettings;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextServerCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * The gRPC server's credentials: plaintext, or TLS with the certificate of {@link TlsSettings}.
 * grpc-java's own {@code TlsServerCredentials} would do for TLS, but it picks the TLS
 * implementation itself and cannot say which it took; here Netty's context is built the way
 * grpc builds it ({@link GrpcSslContexts}: ALPN "h2", HTTP/2's cipher suites) with the
 * implementation asked for, TLS 1.3 and 1.2 only.
 */
final class GrpcTls {
    private final ServerCredentials credentials;
    private final String description;

    private GrpcTls(ServerCredentials credentials, String description) {
        this.credentials = credentials;
        this.description = description;
    }

    /** @param settings the server's TLS, or null for plaintext */
    static GrpcTls of(TlsSettings settings) {
        if (settings == null) {
            return new GrpcTls(InsecureServerCredentials.create(), null);
        }
        ServerCertificate certificate = ServerCertificate.load(settings);
        SslProvider provider = provider(settings.provider());
        try {
            SslContext context = GrpcSslContexts.configure(SslContextBuilder.forServer(certificate.key(),
                            certificate.chain().toArray(X509Certificate[]::new)), provider)
                    .protocols(Tls.PROTOCOLS)
                    .build();
            return new GrpcTls(NettySslContextServerCredentials.create(context), certificate.serving(name(provider)));
        } catch (SSLException e) {
            throw new IllegalStateException("TLS through " + name(provider) + " cannot take this certificate: "
                    + e.getMessage(), e);
        }
    }

    private static SslProvider provider(TlsSettings.Provider asked) {
        return switch (asked) {
            case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case JDK -> SslProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException("--tls-provider openssl: netty-tcnative's OpenSSL does not"
                            + " load on this platform (" + OpenSsl.unavailabilityCause() + "); use auto or jdk");
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    private static String name(SslProvider provider) {
        return provider == SslProvider.OPENSSL
                ? "OpenSSL (" + OpenSsl.versionString() + ", netty-tcnative bundled with grpc-netty-shaded)"
                : "the JDK's TLS" + (OpenSsl.isAvailable() ? "" : " (OpenSSL does not load here: "
                + OpenSsl.unavailabilityCause().getMessage() + ")");
    }

    ServerCredentials credentials() {
        return credentials;
    }

    /** The server's startup line about TLS, or null for plaintext. */
    String description() {
        return description;
    }
}

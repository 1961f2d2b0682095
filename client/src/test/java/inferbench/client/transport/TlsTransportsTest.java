package inferbench.client.transport;

import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every transport of the client over TLS, and what each says when TLS is what goes wrong ({@link TlsCases}). */
@Timeout(60)
class TlsTransportsTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    @RegisterExtension
    static final TlsCases CASES = new TlsCases();

    enum Kind {
        REST((rest, grpc, tls) -> new RestTransport(rest, RestTransport.Body.MULTIPART, LIMIT, tls)),
        GRPC_UNARY((rest, grpc, tls) -> new GrpcUnaryTransport(grpc, LIMIT, tls)),
        GRPC_STREAM((rest, grpc, tls) -> new GrpcStreamTransport(grpc, LIMIT, tls));

        final TlsCases.Opener opener;

        Kind(TlsCases.Opener opener) {
            this.opener = opener;
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void answersOverTlsAndSaysWhatWentWrongOtherwise(Kind kind) throws Exception {
        CASES.check(kind.opener);
    }
}

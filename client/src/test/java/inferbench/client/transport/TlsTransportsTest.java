package inferbench.client.transport;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every transport of the client over TLS, and what each says when TLS is what goes wrong ({@link TlsCases}). */
@Timeout(60)
class TlsTransportsTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static TlsCases cases;

    enum Kind {
        REST((rest, grpc, tls) -> new RestTransport(rest, RestTransport.Body.MULTIPART, LIMIT, tls)),
        GRPC_UNARY((rest, grpc, tls) -> new GrpcUnaryTransport(grpc, LIMIT, tls)),
        GRPC_STREAM((rest, grpc, tls) -> new GrpcStreamTransport(grpc, LIMIT, tls));

        final TlsCases.Opener opener;

        Kind(TlsCases.Opener opener) {
            this.opener = opener;
        }
    }

    @BeforeAll
    static void startServers(@TempDir Path dir) throws Exception {
        cases = TlsCases.start(dir);
    }

    @AfterAll
    static void stopServers() throws Exception {
        cases.close();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void answersOverTlsAndSaysWhatWentWrongOtherwise(Kind kind) throws Exception {
        cases.check(kind.opener);
    }
}

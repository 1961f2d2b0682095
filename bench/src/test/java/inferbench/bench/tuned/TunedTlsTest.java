package inferbench.bench.tuned;

import inferbench.client.transport.RestTransport;
import inferbench.client.transport.TlsCases;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's tuned HTTP/1.1 client over TLS, checked as the client's transports are
 * ({@link TlsCases}): its TLS is its own ({@link TlsChannel}: the JDK's SSLEngine on the calling
 * thread). The unary call without a deadline shares the client's channel and failure code.
 */
@Timeout(60)
class TunedTlsTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static TlsCases cases;

    @BeforeAll
    static void startServers(@TempDir Path dir) throws Exception {
        cases = TlsCases.start(dir);
    }

    @AfterAll
    static void stopServers() throws Exception {
        cases.close();
    }

    @Test
    void theTunedRestClientAnswersOverTlsAndSaysWhatWentWrongOtherwise() throws Exception {
        cases.check((rest, grpc, tls) -> new RestTransport(rest, RestTransport.Body.MULTIPART,
                new HttpConnectionPool(rest, LIMIT, tls.enabled() ? tls.sslContext() : null), LIMIT, tls, " tuned"));
    }

}

package inferbench.bench.tuned;

import inferbench.client.transport.RestTransport;
import inferbench.client.transport.TlsCases;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The benchmark's tuned HTTP/1.1 client over TLS, checked as the client's transports are
 * ({@link TlsCases}): its TLS is its own ({@link TlsChannel}: the JDK's SSLEngine on the calling
 * thread). The unary call without a deadline shares the client's channel and failure code.
 */
@Timeout(60)
class TunedTlsTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    @RegisterExtension
    static final TlsCases CASES = new TlsCases();

    @Test
    void theTunedRestClientAnswersOverTlsAndSaysWhatWentWrongOtherwise() throws Exception {
        CASES.check((rest, grpc, tls) -> new RestTransport(rest, RestTransport.Body.MULTIPART,
                new HttpConnectionPool(rest, LIMIT, tls.enabled() ? tls.sslContext() : null), LIMIT, tls, " tuned"));
    }

}

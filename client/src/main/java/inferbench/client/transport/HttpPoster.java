package inferbench.client.transport;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client under {@link RestTransport}: sends one POST and returns the status and body
 * of the answer, or throws when none came within the transport's time limit. The client's is
 * {@link JdkHttpPoster}, the JDK's {@code HttpClient}; the benchmark measures a hand-written one
 * beside it (inferbench.bench.tuned), to see what the client library costs.
 *
 * <p>An implementation keeps connections alive between requests and is thread safe, with one
 * connection per request in flight, and reads no reply body over {@link #MAX_REPLY_BYTES}.
 */
public interface HttpPoster extends AutoCloseable {
    /** A detection reply is a few hundred bytes; anything near this is not one. */
    int MAX_REPLY_BYTES = 4 * 1024 * 1024;

    /** A response: its status code and whole body. */
    record Answer(int status, byte[] body) {
    }

    Answer post(URI url, String contentType, byte[] body) throws IOException, TimeoutException, InterruptedException;

    @Override
    void close();
}

package inferbench.client.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * The default REST client: the JDK's {@code java.net.http.HttpClient}, on HTTP/1.1 with
 * keep-alive, as a student would write it. The client keeps a pool of connections and opens
 * one more whenever every pooled one is busy, so there is one per request in flight.
 *
 * <p>Two things beyond the textbook call, both for the limits every request has: the request's
 * {@code timeout} only covers the wait for the response's headers (until Java 26), so the whole
 * exchange is bounded by waiting on {@code sendAsync}'s future, which cancels the exchange when
 * the time is up; and the body is read through {@link BoundedBody}, so a misbehaving server
 * cannot make the client allocate without limit.
 *
 * <p>{@code HttpClient} has no {@code close()} before Java 21: its selector thread and idle
 * connections go when it is garbage collected, or when the server closes the idle connections.
 */
final class JdkHttpPoster implements HttpPoster {
    private final Duration timeout;
    private final HttpClient http;

    /** @param tls for https, the client's TLS (whom it trusts); null for http */
    JdkHttpPoster(Duration timeout, SSLContext tls) {
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // the servers speak HTTP/1.1; the default would offer an h2c upgrade
                .connectTimeout(timeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    @Override
    public Answer post(URI url, String contentType, byte[] body)
            throws IOException, TimeoutException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .header("Content-Type", contentType)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request, BoundedBody.handler(MAX_REPLY_BYTES));
        try {
            HttpResponse<byte[]> response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw noAnswer();
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) { // the connect or header timeout, just before ours
                throw noAnswer();
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private TimeoutException noAnswer() {
        return new TimeoutException("REST: " + Transport.noAnswerWithin(timeout));
    }

    @Override
    public void close() {
        // nothing to release before Java 21 (see the class comment)
    }
}

package inferbench.client.transport;

import inferbench.tls.ClientTls;
import inferbench.tls.TlsFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * REST over HTTP/1.1: {@code POST /predict?save=0|1} with the JPEG either in a multipart body
 * (what the original client sends) or as the raw body with {@code Content-Type: image/jpeg}
 * (which lets the benchmark see what multipart itself costs); the answer is JSON. A port that
 * answers in HTTP/2, a gRPC server's, is named as the likely mistake ({@link OtherProtocol}).
 *
 * <p>The HTTP client is the JDK's {@code HttpClient} ({@link JdkHttpPoster}), which keeps
 * connections alive, one per request in flight; the benchmark can hand in another
 * ({@link HttpPoster}). Thread safe. An https address goes with TLS ({@link ClientTls}), an
 * http one without.
 */
public final class RestTransport implements Transport {
    /** How the JPEG travels in the request body. */
    public enum Body { MULTIPART, RAW_JPEG }

    private final Body body;
    private final String name;
    private final URI noSave;
    private final URI save;
    private final HttpPoster http;
    private final Duration timeout;
    private final ClientTls tls;

    /** @param predictUrl the server's /predict address, such as http://localhost:8001/predict */
    public RestTransport(URI predictUrl, Body body) {
        this(predictUrl, body, DEFAULT_TIMEOUT);
    }

    /** @param timeout how long a request may take, connecting included */
    public RestTransport(URI predictUrl, Body body, Duration timeout) {
        this(predictUrl, body, timeout, ClientTls.PLAINTEXT);
    }

    /** @param tls with TLS, {@code predictUrl} is an https address */
    public RestTransport(URI predictUrl, Body body, Duration timeout, ClientTls tls) {
        this(predictUrl, body, new JdkHttpPoster(timeout, tls.enabled() ? tls.sslContext() : null), timeout, tls, "");
    }

    /**
     * Sends through another HTTP client, such as the benchmark's tuned one.
     *
     * @param http    the client, whose time limit is {@code timeout}
     * @param variant added to the name, such as {@code " tuned"}
     */
    public RestTransport(URI predictUrl, Body body, HttpPoster http, Duration timeout, String variant) {
        this(predictUrl, body, http, timeout, ClientTls.PLAINTEXT, variant);
    }

    /**
     * The same over TLS.
     *
     * @param http    the client, whose time limit is {@code timeout}, with {@code tls}
     * @param variant added to the name, such as {@code " tuned"}
     */
    public RestTransport(URI predictUrl, Body body, HttpPoster http, Duration timeout, ClientTls tls,
                         String variant) {
        URI url = checked(predictUrl);
        if (url.getScheme().equals("https") != tls.enabled()) {
            throw new IllegalArgumentException(tls.enabled()
                    ? "with TLS the REST address is an https:// URL, got " + url
                    : "an https:// address needs TLS (--tls, and --ca FILE for a private CA), got " + url);
        }
        this.tls = tls;
        this.body = body;
        this.name = (body == Body.MULTIPART ? "REST" : "REST raw") + variant;
        this.noSave = withQuery(url, "save=0");
        this.save = withQuery(url, "save=1");
        this.timeout = timeout;
        this.http = http;
    }

    /**
     * Reads a REST address given as text, such as a --rest option, and says what is wrong with
     * it. A server's base address (no path, or "/") means its /predict.
     */
    public static URI predictUrl(String text) {
        URI url;
        try {
            url = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL (" + e.getMessage() + ")");
        }
        checked(url);
        String path = url.getRawPath();
        if ((path == null || path.isEmpty() || path.equals("/")) && url.getRawQuery() == null) {
            return url.resolve("/predict");
        }
        return url;
    }

    /** http or https, with a host. */
    private static URI checked(URI url) {
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("the REST address must be an http:// or https:// URL such as "
                    + "http://localhost:8001/predict, got " + url);
        }
        return url;
    }

    private static URI withQuery(URI url, String parameter) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? parameter : url.getRawQuery() + "&" + parameter;
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + path + "?" + query);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Reply send(byte[] jpeg, boolean save) throws IOException, TimeoutException, InterruptedException {
        byte[] payload;
        String contentType;
        if (body == Body.MULTIPART) {
            MultipartBody multipart = MultipartBody.of(jpeg);
            payload = multipart.bytes();
            contentType = multipart.contentType();
        } else {
            payload = jpeg;
            contentType = "image/jpeg";
        }
        URI url = save ? this.save : noSave;
        HttpPoster.Answer answer;
        try {
            answer = http.post(url, contentType, payload);
        } catch (ConnectException | SocketTimeoutException e) {
            throw e; // nothing listens there, or it is slow: no sign of a swapped port
        } catch (IOException e) {
            // With TLS on, the TLS layer's own words are certain; without, "closed without an
            // answer" is only a guess at a TLS port, made after asking the port for the other protocol.
            String tlsProblem = TlsFailure.explain(e, tls);
            IOException otherProtocol = tlsProblem != null && tls.enabled() ? e : OtherProtocol.ofRest(url, e);
            if (otherProtocol != e || tlsProblem == null) {
                throw otherProtocol;
            }
            throw new IOException("REST: " + tlsProblem, e);
        }
        return RestReply.of(answer.status(), answer.body(), payload.length, url);
    }

    /** Closes the idle connections; a request still in flight closes its own when it ends. */
    @Override
    public void close() {
        http.close();
    }
}

package inferbench.client.transport;

import inferbench.json.JsonReader;
import inferbench.pipeline.Box;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * REST over HTTP/1.1: {@code POST /predict?save=0|1} with the JPEG either in a multipart body
 * (what the original client sends) or as the raw body with {@code Content-Type: image/jpeg}
 * (which lets the benchmark see what multipart itself costs).
 *
 * <p>Thread safe: each request takes an idle kept-alive {@link HttpConnection}, or opens one,
 * and puts it back when the response has been read; so there is one connection per request in
 * flight at once, as with a browser or Python's requests. The servers speak plain HTTP, so
 * https addresses are refused.
 */
public final class RestTransport implements Transport {
    /** How the JPEG travels in the request body. */
    public enum Body { MULTIPART, RAW_JPEG }

    private final URI url;
    private final Body body;
    private final String host;
    private final int port;
    private final Deque<HttpConnection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** @param predictUrl the server's /predict address, such as http://localhost:8001/predict */
    public RestTransport(URI predictUrl, Body body) {
        this.url = checked(predictUrl);
        this.body = body;
        this.host = predictUrl.getHost().replaceAll("^\\[|\\]$", ""); // an IPv6 literal comes in brackets
        this.port = predictUrl.getPort() < 0 ? 80 : predictUrl.getPort();
    }

    /** Reads a /predict address given as text, such as a --rest option; says what is wrong with it. */
    public static URI predictUrl(String text) {
        URI url;
        try {
            url = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL (" + e.getMessage() + ")");
        }
        return checked(url);
    }

    /** http only, with a host: the servers speak plain HTTP. */
    private static URI checked(URI url) {
        if (!"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("the REST address must be an http:// URL such as "
                    + "http://localhost:8001/predict (the servers speak plain HTTP), got " + url);
        }
        return url;
    }

    @Override
    public String name() {
        return body == Body.MULTIPART ? "REST" : "REST raw";
    }

    @Override
    public Reply send(byte[] jpeg, boolean save) throws IOException {
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
        byte[] head = requestHead(save, contentType, payload.length);
        HttpConnection.Response response = exchange(head, payload, System.nanoTime() + TIMEOUT.toNanos());
        return reply(response.status(), response.body(), payload.length);
    }

    private byte[] requestHead(boolean save, String contentType, int contentLength) {
        String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = (url.getRawQuery() == null ? "" : url.getRawQuery() + "&") + "save=" + (save ? "1" : "0");
        return ("POST " + path + "?" + query + " HTTP/1.1\r\n"
                + "Host: " + url.getRawAuthority() + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends on an idle connection if there is one. If the server had closed that connection
     * while it sat idle (it never read the request, so sending again cannot do anything twice),
     * the request goes once more on a new connection.
     */
    private HttpConnection.Response exchange(byte[] head, byte[] payload, long deadline) throws IOException {
        HttpConnection idleOne = idle.pollFirst();
        if (idleOne != null) {
            try {
                return exchangeOn(idleOne, head, payload, deadline);
            } catch (HttpConnection.NoResponse stale) {
                // closed by exchangeOn; go on with a new connection
            }
        }
        return exchangeOn(HttpConnection.open(host, port, deadline), head, payload, deadline);
    }

    /** One request on a connection, which is kept for the next one if it may be, closed otherwise. */
    private HttpConnection.Response exchangeOn(HttpConnection connection, byte[] head, byte[] payload, long deadline)
            throws IOException {
        HttpConnection.Response response;
        try {
            response = connection.exchange(head, payload, deadline);
        } catch (IOException e) {
            connection.close();
            throw e;
        }
        if (response.reusable() && !closed) {
            idle.offerFirst(connection);
            if (closed && idle.remove(connection)) { // close() ran meanwhile
                connection.close();
            }
        } else {
            connection.close();
        }
        return response;
    }

    /** Closes the idle connections; a request still in flight closes its own when it ends. */
    @Override
    public void close() {
        closed = true;
        for (HttpConnection connection; (connection = idle.pollFirst()) != null; ) {
            connection.close();
        }
    }

    /** Maps an HTTP answer to a Reply: 200 carries the detection, anything else {"detail": ...}. */
    static Reply reply(int status, byte[] body, long requestBytes) throws IOException {
        String text = new String(body, StandardCharsets.UTF_8);
        if (status != 200) {
            return Reply.refused("HTTP " + status + ": " + detail(text), requestBytes, body.length);
        }
        try {
            Map<String, Object> json = JsonReader.parseObject(text);
            return new Reply(string(json, "status"), boxes(json.get("boxes")), scores(json.get("scores")),
                    (int) number(json, "detection_count"), number(json, "latency_ms"),
                    optionalString(json, "filename"), optionalString(json, "save_error"), "",
                    requestBytes, body.length);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException("the REST reply is not a /predict answer (" + e.getMessage() + "): "
                    + abbreviate(text), e);
        }
    }

    private static String detail(String text) {
        try {
            Object detail = JsonReader.parseObject(text).get("detail");
            if (detail != null) {
                return detail.toString();
            }
        } catch (IllegalArgumentException e) {
            // not JSON, e.g. a proxy's HTML error page: show its start instead
        }
        return abbreviate(text);
    }

    private static List<Box> boxes(Object value) {
        List<Box> boxes = new ArrayList<>();
        for (Object item : (List<?>) value) {
            List<?> xywh = (List<?>) item;
            if (xywh.size() != 4) {
                throw new IllegalArgumentException("a box has 4 numbers, got " + xywh);
            }
            boxes.add(new Box(toFloat(xywh.get(0)), toFloat(xywh.get(1)), toFloat(xywh.get(2)), toFloat(xywh.get(3))));
        }
        return boxes;
    }

    private static List<Float> scores(Object value) {
        List<Float> scores = new ArrayList<>();
        for (Object item : (List<?>) value) {
            scores.add(toFloat(item));
        }
        return scores;
    }

    /** The server writes floats as their shortest decimal, so reading back as float is exact. */
    private static float toFloat(Object number) {
        return ((Double) number).floatValue();
    }

    private static double number(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (!(value instanceof Double)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a number");
        }
        return (Double) value;
    }

    private static String string(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (!(value instanceof String)) {
            throw new IllegalArgumentException("\"" + key + "\" is not a string");
        }
        return (String) value;
    }

    private static String optionalString(Map<String, Object> json, String key) {
        Object value = json.get(key);
        return value instanceof String ? (String) value : "";
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}

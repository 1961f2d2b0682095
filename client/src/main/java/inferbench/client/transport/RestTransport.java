package inferbench.client.transport;

import inferbench.common.Box;
import inferbench.common.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * REST through the JDK {@link HttpClient}: {@code POST /predict?save=0|1} with the JPEG either
 * in a multipart body (what the original client sends) or as the raw body with
 * {@code Content-Type: image/jpeg} (which lets the benchmark see what multipart itself costs).
 *
 * <p>Thread safe: {@code HttpClient} may be shared, and keeps connections alive between
 * requests (HTTP/1.1 keep-alive), opening one more connection for each request in flight at
 * once. HTTP/1.1 is asked for explicitly: on plain http the client's default, HTTP/2, would
 * add an upgrade offer to every request that the JDK server ignores anyway.
 */
public final class RestTransport implements Transport {
    /** How the JPEG travels in the request body. */
    public enum Body { MULTIPART, RAW_JPEG }

    private final HttpClient http;
    private final URI url;
    private final Body body;

    /** @param predictUrl the server's /predict address, such as http://localhost:8001/predict */
    public RestTransport(URI predictUrl, Body body) {
        this(predictUrl, body, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build());
    }

    /** Uses a given client, so several transports can share its connections. */
    public RestTransport(URI predictUrl, Body body, HttpClient http) {
        if (!"http".equals(predictUrl.getScheme()) && !"https".equals(predictUrl.getScheme())) {
            throw new IllegalArgumentException("the REST address must start with http:// or https://, got " + predictUrl);
        }
        this.http = http;
        this.url = predictUrl;
        this.body = body;
    }

    @Override
    public String name() {
        return body == Body.MULTIPART ? "REST" : "REST raw";
    }

    @Override
    public Reply send(byte[] jpeg, boolean save) throws IOException, InterruptedException {
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
        HttpRequest request = HttpRequest.newBuilder(withSave(save))
                .timeout(TIMEOUT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return reply(response.statusCode(), response.body(), payload.length);
    }

    /** Java 17's HttpClient has no close(): its threads are daemons and end with the client. */
    @Override
    public void close() {
    }

    private URI withSave(boolean save) {
        String query = "save=" + (save ? "1" : "0");
        return URI.create(url + (url.getRawQuery() == null ? "?" : "&") + query);
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

package inferbench.client.transport;

import inferbench.json.JsonReader;
import inferbench.pipeline.Box;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A REST server's HTTP answer read as a {@link Reply}: 200 carries the detection, anything else {"detail": ...}. */
final class RestReply {
    static final String POST_PREDICT = "POST /predict";

    private RestReply() {
    }

    /**
     * 404 and 405 mean the address takes no POST at all (a wrong path), so they are thrown as
     * {@link NotOfferedException}; any other status is the server refusing this frame.
     */
    static Reply of(int status, byte[] body, long requestBytes, URI url) throws IOException {
        if (status == 404 || status == 405) {
            throw new NotOfferedException(POST_PREDICT, "POST " + url.getRawPath() + " got HTTP " + status + " ("
                    + detail(new String(body, StandardCharsets.UTF_8)) + "): not a /predict address");
        }
        return of(status, body, requestBytes);
    }

    static Reply of(int status, byte[] body, long requestBytes) throws IOException {
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

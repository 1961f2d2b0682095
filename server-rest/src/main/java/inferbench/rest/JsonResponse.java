package inferbench.rest;

import com.sun.net.httpserver.HttpExchange;
import inferbench.json.JsonWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes every reply the server sends: a JSON body with its exact length, never chunked. */
public final class JsonResponse {
    private JsonResponse() {
    }

    static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8); // RFC 8259 section 8.1: JSON on the wire is UTF-8
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** {@code {"detail": ...}}; with {@code Connection: close} the JDK closes the connection after it. */
    public static void sendError(HttpExchange exchange, HttpError error) throws IOException {
        error.headers().forEach(exchange.getResponseHeaders()::set);
        send(exchange, error.status(),
                new JsonWriter().beginObject().name("detail").value(error.detail()).endObject().toString());
    }
}

package inferbench.rest;

import com.sun.net.httpserver.HttpExchange;
import inferbench.json.JsonWriter;
import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.DetectionResult;
import inferbench.pipeline.InvalidImageException;
import inferbench.server.WorkerPool;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code POST /predict[?save=0|1]}: the JPEG from a multipart form's "file" part, or the whole
 * body sent as {@code Content-Type: image/jpeg}, through the pipeline and back as the original
 * service's JSON. Only the detection goes to the {@link WorkerPool} (no room: 503 at once); the
 * request's own thread parses the form, waits, and writes the reply, so a client that does not
 * read its replies holds no worker.
 */
final class PredictHandler implements Routes.Endpoint {
    /** Written to records.csv for results saved through this server. */
    static final String PROTOCOL = "REST";
    static final String FILE_FIELD = "file";
    static final String SPACE = DetectionPipeline.CROP_SIDE + "x" + DetectionPipeline.CROP_SIDE;

    private final DetectionPipeline pipeline;
    private final WorkerPool workers;

    PredictHandler(DetectionPipeline pipeline, WorkerPool workers) {
        this.pipeline = pipeline;
        this.workers = workers;
    }

    @Override
    public String handle(HttpExchange exchange, byte[] body) throws HttpError, IOException {
        boolean save = saveParameter(exchange.getRequestURI().getRawQuery());
        ByteBuffer jpeg = jpegFrom(exchange.getRequestHeaders().getFirst("Content-Type"), body);
        CompletableFuture<DetectionResult> detection = workers.trySubmit(() -> pipeline.process(jpeg, save, PROTOCOL))
                .orElseThrow(() -> new HttpError(503, workers.busyMessage(), Map.of("Retry-After", "1")));
        return toJson(await(detection));
    }

    private static DetectionResult await(CompletableFuture<DetectionResult> detection) throws HttpError, IOException {
        try {
            return detection.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the server stopped before the detection finished");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidImageException invalid) {
                throw HttpError.badRequest(invalid.getMessage());
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw cause instanceof RuntimeException fault ? fault : new IllegalStateException(cause);
        }
    }

    /** The JPEG bytes of a request: the raw body, or the form's "file" part (a view into the body). */
    static ByteBuffer jpegFrom(String contentTypeHeader, byte[] body) throws HttpError {
        // media types are compared without their parameters, such as a charset (RFC 9110 8.3.1)
        HeaderValue contentType = HeaderValue.parse(contentTypeHeader);
        if (DetectionPipeline.isJpegMediaType(contentType.value())) {
            return ByteBuffer.wrap(body);
        }
        if (!contentType.lowerCaseValue().equals("multipart/form-data")) {
            throw HttpError.unsupportedMediaType();
        }
        MultipartParser.Part file = MultipartParser.parse(body, contentType).stream()
                .filter(part -> FILE_FIELD.equals(part.name()))
                .findFirst()
                .orElseThrow(() -> HttpError.badRequest("no part named '" + FILE_FIELD + "' in the form"));
        if (!DetectionPipeline.isJpegMediaType(HeaderValue.parse(file.contentType()).value())) {
            throw HttpError.unsupportedMediaType();
        }
        return file.content();
    }

    /** {@code save=0} or {@code save=1}; absent means 0; anything else is refused. Other parameters are ignored. */
    static boolean saveParameter(String rawQuery) throws HttpError {
        boolean save = false;
        for (String pair : rawQuery == null || rawQuery.isEmpty() ? new String[0] : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (!decode(eq < 0 ? pair : pair.substring(0, eq)).equals("save")) {
                continue;
            }
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            save = switch (value) {
                case "0" -> false;
                case "1" -> true;
                default -> throw HttpError.badRequest("invalid save value '" + value + "': use save=0 or save=1");
            };
        }
        return save;
    }

    private static String decode(String text) throws HttpError {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("malformed query string: " + e.getMessage());
        }
    }

    /** The original service's reply, key for key; save_error only when saving failed. */
    static String toJson(DetectionResult result) {
        JsonWriter json = new JsonWriter().beginObject()
                .name("label").value(result.label())
                .name("boxes").boxArray(result.boxes())
                .name("scores").floatArray(result.scores())
                .name("detection_count").value(result.detectionCount())
                .name("latency_ms").value(Math.round(result.latencyMs() * 1000) / 1000.0) // microseconds are plenty
                .name("filename").value(result.filename())
                .name("status").value(result.status())
                .name("space").value(SPACE);
        if (!result.saveError().isEmpty()) {
            json.name("save_error").value(result.saveError());
        }
        return json.endObject().toString();
    }
}

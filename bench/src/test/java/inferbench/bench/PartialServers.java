package inferbench.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import inferbench.json.JsonWriter;
import inferbench.pipeline.Box;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Servers that speak the project's wire contract but offer less of it, as other people's servers
 * may: REST takes multipart bodies only (415 for a raw JPEG), gRPC implements unary
 * {@code Predict} only (so {@code PredictStream} is UNIMPLEMENTED). Each answers what the
 * given function says about the JPEG, the pipeline's answer or a wrong one, and reports the time
 * that took as its latency.
 */
final class PartialServers implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService httpThreads = Executors.newFixedThreadPool(4);
    private final Server grpc;

    PartialServers(Function<byte[], Expected> answer) throws IOException {
        this(answer, 0);
    }

    /** @param grpcWindow the gRPC server's fixed HTTP/2 flow-control window, or 0 for grpc-java's default */
    PartialServers(Function<byte[], Expected> answer, int grpcWindow) throws IOException {
        // As the project's REST server does: otherwise every reply's body waits for the client's
        // delayed ACK of its headers (40 ms). The JDK reads it once, when it starts its first server.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/predict", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
                if (!type.startsWith("multipart/form-data")) {
                    reply(exchange, 415, "{\"detail\":\"multipart/form-data only\"}");
                    return;
                }
                long start = System.nanoTime();
                Expected expected = answer.apply(part(body));
                reply(exchange, 200, json(expected, (System.nanoTime() - start) / 1e6));
            }
        });
        http.setExecutor(httpThreads);
        http.start();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create());
        if (grpcWindow > 0) {
            builder.flowControlWindow(grpcWindow);
        }
        grpc = builder.addService(new InferenceGrpc.InferenceImplBase() {
                    @Override
                    public void predict(Image request, StreamObserver<Detection> response) {
                        long start = System.nanoTime();
                        Expected expected = answer.apply(request.getData().toByteArray());
                        response.onNext(detection(expected, (System.nanoTime() - start) / 1e6));
                        response.onCompleted();
                    }
                })
                .build().start();
    }

    String restUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/predict";
    }

    String grpcTarget() {
        return "127.0.0.1:" + grpc.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        http.stop(0);
        httpThreads.shutdownNow();
        grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The first part's content: after its blank line, before the closing boundary's CRLF. */
    private static byte[] part(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int start = text.indexOf("\r\n\r\n") + 4;
        int end = text.lastIndexOf("\r\n--");
        byte[] part = new byte[end - start];
        System.arraycopy(body, start, part, 0, part.length);
        return part;
    }

    private static String json(Expected answer, double latencyMs) {
        return new JsonWriter().beginObject()
                .name("label").value("face")
                .name("boxes").boxArray(answer.boxes())
                .name("scores").floatArray(Collections.nCopies(answer.boxes().size(), 0.9f))
                .name("detection_count").value(answer.boxes().size())
                .name("latency_ms").value(latencyMs)
                .name("filename").value("")
                .name("status").value(answer.status())
                .endObject().toString();
    }

    private static Detection detection(Expected answer, double latencyMs) {
        Detection.Builder detection = Detection.newBuilder().setLabel("face").setStatus(answer.status())
                .setDetectionCount(answer.boxes().size()).setLatencyMs((float) latencyMs);
        for (Box b : answer.boxes()) {
            detection.addBoxes(inferbench.proto.Box.newBuilder().setX(b.x()).setY(b.y()).setW(b.w()).setH(b.h()));
            detection.addScores(0.9f);
        }
        return detection.build();
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}

import com.google.protobuf.ByteString;
import inferbench.samples.SampleFrames;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.tls.ClientTls;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real frames through the load balancer, every answer checked: the traffic half of
 * scripts/test-scale-out.sh (which starts the replicas and nginx and counts who served what).
 *
 * <p>Not part of a module: it runs with the client's dependencies on the class path (they
 * hold the generated stub, grpc-java and the sample frames), by hand as a single-file program
 * <pre>java -cp 'client/target/lib/*' scripts/BalancerTraffic.java MODE HOST:PORT [N]</pre>
 * or compiled once with javac, as the test does.
 * Modes: {@code rest N} and {@code grpc N} send N face frames with save on (one client
 * connection each, as a real client would); {@code grpc-stream N} sends at least N bytes of
 * frames on one PredictStream call; {@code rest-too-large} expects nginx's 413;
 * {@code rest-down} and {@code grpc-down} expect the answer for "no replica left".
 * With TLS_CA=FILE in the environment it speaks TLS (https, and a TLS channel), trusting that
 * CA: nginx's TLS ports. Exit status 0 only when every answer is right.
 */
public final class BalancerTraffic {
    private static final double[] FACE_BOX = {244.8, 91.2, 141.6, 141.6};
    private static final Duration CALL_LIMIT = Duration.ofSeconds(30);
    private static final Pattern FIRST_BOX = Pattern.compile(
            "\"boxes\"\\s*:\\s*\\[\\s*\\[\\s*([-0-9.eE]+)\\s*,\\s*([-0-9.eE]+)\\s*,\\s*([-0-9.eE]+)\\s*,\\s*([-0-9.eE]+)");

    /** TLS_CA=FILE: TLS trusting that CA; otherwise plaintext. */
    private static final ClientTls TLS = System.getenv("TLS_CA") == null ? ClientTls.PLAINTEXT
            : ClientTls.trusting(Path.of(System.getenv("TLS_CA")));

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            fail("usage: BalancerTraffic rest|grpc|grpc-stream|rest-too-large|rest-down|grpc-down HOST:PORT [N]");
        }
        String target = args[1];
        long n = args.length > 2 ? Long.parseLong(args[2]) : 0;
        switch (args[0]) {
            case "rest" -> rest(target, (int) n);
            case "grpc" -> grpcUnary(target, (int) n);
            case "grpc-stream" -> grpcStream(target, n);
            case "rest-too-large" -> restTooLarge(target);
            case "rest-down" -> restDown(target);
            case "grpc-down" -> grpcDown(target);
            default -> fail("unknown mode " + args[0]);
        }
    }

    private static void rest(String target, int count) throws Exception {
        byte[] jpeg = SampleFrames.faceJpeg();
        HttpClient http = http();
        for (int i = 1; i <= count; i++) {
            HttpResponse<String> response = http.send(predict(target, jpeg), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            Matcher box = FIRST_BOX.matcher(body);
            if (response.statusCode() != 200 || !body.matches("(?s).*\"status\"\\s*:\\s*\"OK\".*")
                    || !body.matches("(?s).*\"detection_count\"\\s*:\\s*1\\b.*") || !box.find()
                    || !isFaceBox(Double.parseDouble(box.group(1)), Double.parseDouble(box.group(2)),
                            Double.parseDouble(box.group(3)), Double.parseDouble(box.group(4)))) {
                fail("REST request " + i + " of " + count + ": HTTP " + response.statusCode() + " " + body);
            }
        }
        System.out.println((TLS.enabled() ? "REST over TLS: " : "REST: ") + count + "/" + count
                + " answers OK, one face at the expected box");
    }

    private static void restTooLarge(String target) throws Exception {
        byte[] body = new byte[16 * 1024 * 1024 + 1];
        HttpResponse<String> response = http()
                .send(predict(target, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 413 || !response.body().contains("\"detail\"")) {
            fail("a 16 MiB + 1 byte body: expected 413 with a JSON detail, got HTTP "
                    + response.statusCode() + " " + response.body());
        }
        System.out.println("REST: a 16 MiB + 1 byte body gets 413 " + response.body().strip());
    }

    private static void restDown(String target) throws Exception {
        HttpResponse<String> response = http()
                .send(predict(target, SampleFrames.faceJpeg()), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 502 || !response.body().contains("\"detail\"")) {
            fail("no REST replica left: expected 502 with a JSON detail, got HTTP "
                    + response.statusCode() + " " + response.body());
        }
        System.out.println("REST with no replica left: 502 " + response.body().strip());
    }

    private static HttpRequest predict(String target, byte[] jpeg) {
        return HttpRequest.newBuilder(URI.create((TLS.enabled() ? "https://" : "http://") + target + "/predict?save=1"))
                .timeout(CALL_LIMIT)
                .header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg))
                .build();
    }

    private static void grpcUnary(String target, int count) throws Exception {
        Image image = image(SampleFrames.faceJpeg(), true);
        ManagedChannel channel = channel(target);
        try {
            for (int i = 1; i <= count; i++) {
                Detection d = InferenceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(CALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS).predict(image);
                if (!isOneFace(d)) {
                    fail("gRPC call " + i + " of " + count + ": " + d);
                }
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.out.println((TLS.enabled() ? "gRPC over TLS: " : "gRPC: ") + count + "/" + count
                + " unary calls OK on one channel, one face at the expected box");
    }

    /** One long call, as a video client makes it; at most a few frames in flight (flow control). */
    private static void grpcStream(String target, long minBytes) throws Exception {
        Image image = image(SampleFrames.faceJpeg(), false);
        int frames = (int) Math.max(1, (minBytes + image.getData().size() - 1) / image.getData().size());
        Semaphore inFlight = new Semaphore(4);
        AtomicInteger good = new AtomicInteger();
        AtomicReference<String> problem = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        ManagedChannel channel = channel(target);
        try {
            StreamObserver<Image> requests = InferenceGrpc.newStub(channel)
                    .withDeadlineAfter(5, TimeUnit.MINUTES)
                    .predictStream(new StreamObserver<>() {
                        @Override
                        public void onNext(Detection d) {
                            if (isOneFace(d)) {
                                good.incrementAndGet();
                            } else {
                                problem.compareAndSet(null, "a stream answer was " + d);
                            }
                            inFlight.release();
                        }

                        @Override
                        public void onError(Throwable t) {
                            problem.compareAndSet(null, "the stream ended with " + Status.fromThrowable(t));
                            inFlight.release(frames);
                            done.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            done.countDown();
                        }
                    });
            for (int i = 0; i < frames && problem.get() == null; i++) {
                if (!inFlight.tryAcquire(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    fail("gRPC stream: no answer for " + CALL_LIMIT.toSeconds() + " s after frame " + i);
                }
                requests.onNext(image);
            }
            requests.onCompleted();
            if (!done.await(CALL_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("gRPC stream: the call did not end after the last frame");
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (problem.get() != null || good.get() != frames) {
            fail("gRPC stream: " + good.get() + "/" + frames + " answers OK; " + problem.get());
        }
        System.out.printf("gRPC stream: %d/%d frames OK in order on one call, %.1f MiB in all%n",
                good.get(), frames, frames * (double) image.getData().size() / (1 << 20));
    }

    private static void grpcDown(String target) throws Exception {
        ManagedChannel channel = channel(target);
        try {
            Detection d = InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_LIMIT.toMillis(),
                    TimeUnit.MILLISECONDS).predict(image(SampleFrames.faceJpeg(), false));
            fail("no gRPC replica left, yet an answer came: " + d);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                fail("no gRPC replica left: expected UNAVAILABLE, got " + e.getStatus());
            }
            System.out.println("gRPC with no replica left: " + e.getStatus());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static HttpClient http() {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (TLS.enabled()) {
            builder.sslContext(TLS.sslContext());
        }
        return builder.build();
    }

    private static ManagedChannel channel(String target) {
        ChannelCredentials credentials = TLS.enabled()
                ? TlsChannelCredentials.newBuilder().trustManager(TLS.trustManagers()).build()
                : InsecureChannelCredentials.create();
        return Grpc.newChannelBuilder(target, credentials).build();
    }

    private static Image image(byte[] jpeg, boolean save) {
        return Image.newBuilder().setData(ByteString.copyFrom(jpeg)).setMime("image/jpeg").setSave(save).build();
    }

    private static boolean isOneFace(Detection d) {
        List<inferbench.proto.Box> boxes = d.getBoxesList();
        return "OK".equals(d.getStatus()) && d.getDetectionCount() == 1 && boxes.size() == 1
                && isFaceBox(boxes.get(0).getX(), boxes.get(0).getY(), boxes.get(0).getW(), boxes.get(0).getH());
    }

    private static boolean isFaceBox(double x, double y, double w, double h) {
        double[] box = {x, y, w, h};
        for (int i = 0; i < box.length; i++) {
            if (Math.abs(box[i] - FACE_BOX[i]) > 0.05) {
                return false;
            }
        }
        return true;
    }

    private static void fail(String message) {
        System.err.println("BalancerTraffic: " + message);
        System.exit(1);
    }
}

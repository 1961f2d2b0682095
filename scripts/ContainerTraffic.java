import com.google.protobuf.ByteString;
import inferbench.proto.Detection;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.tls.ClientTls;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real frames to the servers in containers, every answer checked: the traffic half of
 * scripts/test-containers.sh (which builds and starts the containers and looks at what they
 * saved). Runs with the client's dependencies on the class path, like BalancerTraffic:
 * <pre>java -cp 'client/target/lib/*' scripts/ContainerTraffic.java MODE HOST:PORT ...</pre>
 * Modes:
 * <ul>
 * <li>{@code rest HOST:PORT N}: N multipart POST /predict?save=1 (the "file" part, as the
 *     desktop client and the original's clients send it), one connection;
 * <li>{@code grpc HOST:PORT N}: N unary Predict calls with save=true, one channel;
 * <li>{@code rest-drain HOST:PORT THREADS COMMAND...} and {@code grpc-drain ...}: THREADS
 *     clients send save=1 frames back to back; once the server is busy, COMMAND (docker stop
 *     NAME) is run. Every request sent before COMMAND started must be answered OK (it was
 *     admitted, so the server must drain it); a request sent after may be answered or refused
 *     (503, a refused connection, UNAVAILABLE), and ends that client.
 * </ul>
 * Every answer must be the one face at the expected box, with a file name (saved) and no
 * save_error. Prints "saved NAME" for every file the server said it saved, and "answered N"
 * for the number of OK answers; exit status 0 only when every answer was right. With TLS_CA=FILE
 * in the environment it speaks TLS (https, and a TLS channel), trusting that CA.
 */
public final class ContainerTraffic {
    private static final double[] FACE_BOX = {244.8, 91.2, 141.6, 141.6};
    private static final Duration CALL_LIMIT = Duration.ofSeconds(30);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(90);
    private static final String BOUNDARY = "inferbench-container-test-boundary";
    private static final Pattern FIRST_BOX = Pattern.compile(
            "\"boxes\"\\s*:\\s*\\[\\s*\\[\\s*([-0-9.eE]+)\\s*,\\s*([-0-9.eE]+)\\s*,\\s*([-0-9.eE]+)\\s*,\\s*([-0-9.eE]+)");
    private static final Pattern FILENAME = Pattern.compile("\"filename\"\\s*:\\s*\"([^\"]+)\"");

    /** What one request got: an OK answer (with the saved file's name), a refusal, or something wrong. */
    private record Outcome(Kind kind, String detail) {
        enum Kind { OK, REFUSED, WRONG }
    }

    /** TLS_CA=FILE: TLS trusting that CA; otherwise plaintext. */
    private static final ClientTls TLS = System.getenv("TLS_CA") == null ? ClientTls.PLAINTEXT
            : ClientTls.trusting(Path.of(System.getenv("TLS_CA")));

    private interface Sender {
        Outcome send() throws InterruptedException;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            fail("usage: ContainerTraffic rest|grpc HOST:PORT N | rest-drain|grpc-drain HOST:PORT THREADS COMMAND...");
        }
        String target = args[1];
        int n = Integer.parseInt(args[2]);
        List<String> command = Arrays.asList(args).subList(3, args.length);
        byte[] jpeg = SampleFrames.faceJpeg();
        switch (args[0]) {
            case "rest" -> sequence("REST multipart", n, restSender(target, jpeg));
            case "grpc" -> {
                ManagedChannel channel = channel(target);
                try {
                    sequence("gRPC Predict", n, grpcSender(channel, jpeg));
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
            case "rest-drain" -> {
                List<Sender> senders = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    senders.add(restSender(target, jpeg)); // a client (and connection) each
                }
                drain("REST", senders, command);
            }
            case "grpc-drain" -> {
                ManagedChannel channel = channel(target);
                try {
                    List<Sender> senders = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        senders.add(grpcSender(channel, jpeg)); // calls multiplexed on one channel
                    }
                    drain("gRPC", senders, command);
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
            default -> fail("unknown mode " + args[0]);
        }
    }

    private static void sequence(String what, int count, Sender sender) throws InterruptedException {
        for (int i = 1; i <= count; i++) {
            Outcome outcome = sender.send();
            if (outcome.kind() != Outcome.Kind.OK) {
                fail(what + " " + i + " of " + count + ": " + outcome.detail());
            }
            System.out.println("saved " + outcome.detail());
        }
        System.out.println("answered " + count);
        System.err.println(what + ": " + count + "/" + count + " answers OK: one face at the expected box, saved");
    }

    private static void drain(String what, List<Sender> senders, List<String> command) throws Exception {
        if (command.isEmpty()) {
            fail("a drain needs the stop command");
        }
        long[] stopAt = {Long.MAX_VALUE};
        AtomicInteger okBefore = new AtomicInteger();
        AtomicInteger okAfter = new AtomicInteger();
        ConcurrentLinkedQueue<String> refusedAfter = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> saved = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (Sender sender : senders) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline && problems.isEmpty()) {
                        long sent = System.nanoTime();
                        boolean beforeStop;
                        synchronized (stopAt) {
                            beforeStop = sent < stopAt[0];
                        }
                        Outcome outcome = sender.send();
                        if (outcome.kind() == Outcome.Kind.OK) {
                            saved.add(outcome.detail());
                            (beforeStop ? okBefore : okAfter).incrementAndGet();
                        } else if (beforeStop) {
                            problems.add("a request sent before the stop command: " + outcome.detail());
                        } else if (outcome.kind() == Outcome.Kind.REFUSED) {
                            refusedAfter.add(outcome.detail());
                            return;
                        } else {
                            problems.add("a request sent after the stop command: " + outcome.detail());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            threads.add(thread);
        }
        // Busy: every client has had answers, so each has a request out at any moment.
        long warm = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (okBefore.get() < 5 * senders.size() && problems.isEmpty() && System.nanoTime() < warm) {
            Thread.sleep(20);
        }
        if (!problems.isEmpty() || okBefore.get() == 0) {
            fail(what + " drain: the server was not answering before the stop: " + problems.peek());
        }
        synchronized (stopAt) {
            stopAt[0] = System.nanoTime();
        }
        System.err.println(what + " drain: " + senders.size() + " clients busy (" + okBefore.get()
                + " answers so far); running: " + String.join(" ", command));
        Process stop = new ProcessBuilder(command).inheritIO().start();
        if (!stop.waitFor(DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            stop.destroyForcibly();
            fail(what + " drain: '" + String.join(" ", command) + "' still running after " + DRAIN_LIMIT.toSeconds() + " s");
        }
        long stopSeconds = (System.nanoTime() - stopAt[0]) / 1_000_000;
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (stop.exitValue() != 0) {
            problems.add("'" + String.join(" ", command) + "' exited with status " + stop.exitValue());
        }
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                problems.add("a client was still being answered " + DRAIN_LIMIT.toSeconds() + " s after the stop");
                break;
            }
        }
        for (String name : saved) {
            System.out.println("saved " + name);
        }
        System.out.println("answered " + saved.size());
        if (!problems.isEmpty()) {
            fail(what + " drain: " + problems.size() + " problem(s), the first: " + problems.peek());
        }
        System.err.println(what + " drain: all " + okBefore.get() + " requests sent before the stop were answered OK;"
                + " after it " + okAfter.get() + " more were answered and " + refusedAfter.size() + " refused ("
                + String.join("; ", refusedAfter.stream().distinct().toList()) + "); the stop command took "
                + stopSeconds + " ms");
    }

    // -- REST ------------------------------------------------------------------------------

    private static Sender restSender(String target, byte[] jpeg) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (TLS.enabled()) {
            builder.sslContext(TLS.sslContext());
        }
        HttpClient http = builder.build();
        HttpRequest request = HttpRequest.newBuilder(URI.create((TLS.enabled() ? "https://" : "http://") + target
                        + "/predict?save=1"))
                .timeout(CALL_LIMIT)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(jpeg)))
                .build();
        return () -> {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                return new Outcome(Outcome.Kind.REFUSED, "connection refused");
            } catch (IOException e) {
                return new Outcome(Outcome.Kind.REFUSED, "connection closed (" + e + ")");
            }
            String body = response.body();
            if (response.statusCode() == 503) {
                return new Outcome(Outcome.Kind.REFUSED, "HTTP 503");
            }
            Matcher box = FIRST_BOX.matcher(body);
            Matcher file = FILENAME.matcher(body);
            if (response.statusCode() != 200 || !body.matches("(?s).*\"status\"\\s*:\\s*\"OK\".*")
                    || !body.matches("(?s).*\"detection_count\"\\s*:\\s*1\\b.*") || !box.find()
                    || !isFaceBox(Double.parseDouble(box.group(1)), Double.parseDouble(box.group(2)),
                            Double.parseDouble(box.group(3)), Double.parseDouble(box.group(4)))
                    || body.contains("save_error") || !file.find()) {
                return new Outcome(Outcome.Kind.WRONG, "HTTP " + response.statusCode() + " " + body.strip());
            }
            return new Outcome(Outcome.Kind.OK, file.group(1));
        };
    }

    private static byte[] multipart(byte[] jpeg) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"face.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(jpeg);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    // -- gRPC ------------------------------------------------------------------------------

    private static ManagedChannel channel(String target) {
        ChannelCredentials credentials = TLS.enabled()
                ? TlsChannelCredentials.newBuilder().trustManager(TLS.trustManagers()).build()
                : InsecureChannelCredentials.create();
        return Grpc.newChannelBuilder(target, credentials).build();
    }

    private static Sender grpcSender(ManagedChannel channel, byte[] jpeg) {
        Image image = Image.newBuilder().setData(ByteString.copyFrom(jpeg)).setMime("image/jpeg").setSave(true).build();
        return () -> {
            Detection d;
            try {
                d = InferenceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(CALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS).predict(image);
            } catch (StatusRuntimeException e) {
                Status status = e.getStatus();
                return new Outcome(status.getCode() == Status.Code.UNAVAILABLE ? Outcome.Kind.REFUSED : Outcome.Kind.WRONG,
                        "gRPC " + status.getCode());
            }
            List<inferbench.proto.Box> boxes = d.getBoxesList();
            if (!"OK".equals(d.getStatus()) || d.getDetectionCount() != 1 || boxes.size() != 1
                    || !isFaceBox(boxes.get(0).getX(), boxes.get(0).getY(), boxes.get(0).getW(), boxes.get(0).getH())
                    || !d.getSaveError().isEmpty() || d.getFilename().isEmpty()) {
                return new Outcome(Outcome.Kind.WRONG, "answer " + d);
            }
            return new Outcome(Outcome.Kind.OK, d.getFilename());
        };
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
        System.err.println("ContainerTraffic: " + message);
        System.exit(1);
    }
}

package inferbench.bench.probes;

import static java.util.concurrent.TimeUnit.SECONDS;

import com.google.protobuf.UnsafeByteOperations;
import inferbench.bench.Stats;
import inferbench.bench.tuned.NoDeadlineGrpcTransport;
import inferbench.client.transport.Reply;
import inferbench.client.transport.Transport;
import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.List;
import java.util.Locale;

/**
 * The probe behind docs/performance-notes.md, "Where the overhead goes": what grpc-java's
 * retries and a per-call deadline cost a unary Predict, one call in flight. Each setup sends blocks of 200 frames
 * (face and no face, alternating) in turn, in a rotating order, so a drift of the host's speed
 * hits them all alike; it prints each block's overhead p50 (end-to-end minus the latency_ms
 * the server reports), then each setup's mean.
 *
 * <p>Run it against a gRPC server started with {@code make run-servers}, from the repository root:
 * <pre>
 *   java -cp "bench/target/bench.jar:bench/target/lib/*" inferbench.bench.probes.GrpcClientSettings [HOST:PORT] [WARM-UP CALLS]
 * </pre>
 * (defaults 127.0.0.1:50051 and 3,000: the server warms up too, so give a fresh one more).
 */
public final class GrpcClientSettings {
    private static final int BLOCK = 200;
    private static final int ROUNDS = 3;

    /** One unary call, made the way a setup makes it; returns the latency_ms the server reports. */
    private interface Call {
        double send(byte[] jpeg) throws Exception;
    }

    private record Setup(String name, Call call) {
    }

    public static void main(String[] args) throws Exception {
        String target = args.length > 0 ? args[0] : "127.0.0.1:50051";
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        List<byte[]> frames = List.of(SampleFrames.faceJpeg(), SampleFrames.noFaceJpeg());
        ManagedChannel defaults = channel(target).build();
        ManagedChannel noRetry = channel(target).disableRetry().build();
        var withRetry = InferenceGrpc.newBlockingStub(defaults);
        var blocking = InferenceGrpc.newBlockingStub(noRetry);
        NoDeadlineGrpcTransport transport = new NoDeadlineGrpcTransport(target, Transport.DEFAULT_TIMEOUT);
        List<Setup> setups = List.of(
                new Setup("retries, 5 s deadline (grpc-java's defaults)",
                        jpeg -> withRetry.withDeadlineAfter(5, SECONDS).predict(image(jpeg)).getLatencyMs()),
                new Setup("no retries, 5 s deadline",
                        jpeg -> blocking.withDeadlineAfter(5, SECONDS).predict(image(jpeg)).getLatencyMs()),
                new Setup("no retries, no deadline", jpeg -> blocking.predict(image(jpeg)).getLatencyMs()),
                new Setup("no retries, waits 5 s on a future (NoDeadlineGrpcTransport)",
                        jpeg -> served(transport.send(jpeg, false))));
        try {
            for (Setup setup : setups) {
                overheadP50(setup, frames, warmup / setups.size());
            }
            double[] sums = new double[setups.size()];
            for (int round = 0; round < ROUNDS; round++) {
                System.out.printf("round %d:%n", round + 1);
                for (int k = 0; k < setups.size(); k++) {
                    int s = (k + round) % setups.size();
                    double p50 = overheadP50(setups.get(s), frames, BLOCK);
                    sums[s] += p50;
                    System.out.printf(Locale.ROOT, "  %-56s %.3f ms%n", setups.get(s).name(), p50);
                }
            }
            System.out.println("mean over the rounds:");
            for (int s = 0; s < setups.size(); s++) {
                System.out.printf(Locale.ROOT, "  %-56s %.3f ms%n", setups.get(s).name(), sums[s] / ROUNDS);
            }
        } finally {
            defaults.shutdownNow();
            noRetry.shutdownNow();
            transport.close();
        }
    }

    /** Callbacks on the transport thread, as the client's own channels (GrpcWire). */
    private static ManagedChannelBuilder<?> channel(String target) {
        return Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).directExecutor();
    }

    /** A refusal fails the run, as a status does for the stubs above. */
    private static double served(Reply reply) {
        if (!reply.ok()) {
            throw new IllegalStateException("the server refused a frame: " + reply.error());
        }
        return reply.serverLatencyMs();
    }

    /** The message GrpcUnaryTransport sends: the JPEG wrapped, not copied. */
    private static Image image(byte[] jpeg) {
        return Image.newBuilder().setData(UnsafeByteOperations.unsafeWrap(jpeg)).setMime("image/jpeg").build();
    }

    private static double overheadP50(Setup setup, List<byte[]> frames, int calls) throws Exception {
        double[] overhead = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            double serverMs = setup.call().send(frames.get(i % frames.size()));
            overhead[i] = (System.nanoTime() - start) / 1e6 - serverMs;
        }
        return Stats.median(overhead);
    }
}

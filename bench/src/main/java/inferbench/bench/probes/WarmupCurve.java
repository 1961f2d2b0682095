package inferbench.bench.probes;

import inferbench.bench.Stats;
import inferbench.client.transport.GrpcUnaryTransport;
import inferbench.client.transport.Reply;
import inferbench.client.transport.RestTransport;
import inferbench.client.transport.Transport;
import inferbench.samples.SampleFrames;
import java.util.List;
import java.util.Locale;

/**
 * The probe behind README "How long the JIT takes": how the overhead falls as the servers and
 * this client serve more calls. It sends blocks of 500 frames (face and no face, alternating),
 * one in flight, to the REST server (multipart) and to the gRPC server (unary) in turn, so a
 * drift of the host's speed hits both alike, and prints each block's overhead p50 (end-to-end
 * minus the latency_ms the server reports). Start it against freshly started servers to see
 * the whole curve.
 *
 * <p>From the repository root, after {@code make run-servers}:
 * <pre>
 *   java -cp "bench/target/bench.jar:bench/target/lib/*" inferbench.bench.probes.WarmupCurve \
 *       http://127.0.0.1:8001/predict 127.0.0.1:50051 [BLOCKS]
 * </pre>
 * (default 20 blocks per server: 10,000 calls each, about six minutes on 2 cores).
 */
public final class WarmupCurve {
    private static final int BLOCK = 500;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: WarmupCurve REST_PREDICT_URL GRPC_HOST:PORT [BLOCKS]");
            System.exit(2);
        }
        int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<byte[]> frames = List.of(SampleFrames.faceJpeg(), SampleFrames.noFaceJpeg());
        long start = System.nanoTime();
        try (Transport rest = new RestTransport(RestTransport.predictUrl(args[0]), RestTransport.Body.MULTIPART);
             Transport grpc = new GrpcUnaryTransport(args[1])) {
            System.out.println("  time   calls each   REST multipart   gRPC unary   (overhead p50)");
            for (int block = 1; block <= blocks; block++) {
                double restMs = overheadP50(rest, frames);
                double grpcMs = overheadP50(grpc, frames);
                System.out.printf(Locale.ROOT, "%5.0f s  %,10d   %11.3f ms   %7.3f ms%n",
                        (System.nanoTime() - start) / 1e9, block * BLOCK, restMs, grpcMs);
            }
        }
    }

    private static double overheadP50(Transport transport, List<byte[]> frames) throws Exception {
        double[] overhead = new double[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            long sent = System.nanoTime();
            Reply reply = transport.send(frames.get(i % frames.size()), false);
            if (!reply.ok()) {
                throw new IllegalStateException(transport.name() + " refused a frame: " + reply.error());
            }
            overhead[i] = (System.nanoTime() - sent) / 1e6 - reply.serverLatencyMs();
        }
        return Stats.median(overhead);
    }
}

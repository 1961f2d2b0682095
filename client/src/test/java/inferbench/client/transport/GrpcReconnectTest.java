package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.config.Config;
import inferbench.grpc.GrpcServer;
import inferbench.grpc.GrpcServerMain;
import inferbench.pipeline.DetectionPipeline;
import inferbench.samples.SampleFrames;
import inferbench.server.ServerSettings;
import inferbench.storage.ResultStore;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The server renews connections (--max-connection-age, 1 s here, the flag's least): the desktop
 * client's two gRPC transports, one channel each as the client keeps, go on sending frames
 * through a renewal without a single failed frame.
 */
@Timeout(60)
class GrpcReconnectTest {
    /**
     * Past the latest renewal: GOAWAY at 1.1 x age at the latest, a stream ends itself a frame
     * after that, and the next frame goes on a new connection.
     */
    private static final Duration SENDING = Duration.ofMillis(1700);

    @Test
    void bothTransportsSendEveryFrameWhileTheServerRenewsConnections(@TempDir Path storage) throws Exception {
        ServerSettings settings = ServerSettings.read(new Config(new String[] {"--port", "0", "--bind", "127.0.0.1",
                "--access-log", "false", "--storage", storage.toString(), "--max-connection-age", "1"}, Map.of()), 0);
        GrpcServer server;
        try (ResultStore store = new ResultStore(settings.storage())) {
            server = GrpcServerMain.start(settings, DetectionPipeline.load(settings.pipeline(), store));
            Mat face = SampleFrames.faceFrame(1280, 720);
            Mat small = new Mat();
            Imgproc.resize(face, small, new Size(320, 180), 0, 0, Imgproc.INTER_AREA);
            byte[] frame = SampleFrames.encodeJpeg(small, SampleFrames.JPEG_QUALITY);
            face.release();
            small.release();
            Connections unaryConnections = new Connections();
            Connections streamConnections = new Connections();
            ManagedChannel unaryChannel = unaryConnections.channel(server.port());
            ManagedChannel streamChannel = streamConnections.channel(server.port());
            ExecutorService senders = Executors.newFixedThreadPool(2);
            try (Transport unary = new GrpcUnaryTransport(unaryChannel);
                 Transport stream = new GrpcStreamTransport(streamChannel)) {
                Future<List<String>> unaryFailures = senders.submit(() -> sendFor(unary, frame));
                Future<List<String>> streamFailures = senders.submit(() -> sendFor(stream, frame));
                assertEquals(List.of(), unaryFailures.get(30, TimeUnit.SECONDS), "unary");
                assertEquals(List.of(), streamFailures.get(30, TimeUnit.SECONDS), "stream");
            } finally {
                senders.shutdownNow();
                unaryChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                streamChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.stop(Duration.ofSeconds(2));
            }
            assertTrue(unaryConnections.seen.size() >= 2, "connections used: " + unaryConnections.seen);
            assertTrue(streamConnections.seen.size() >= 2, "connections used: " + streamConnections.seen);
        }
    }

    /** Sends a frame every 20 ms for a while, as the client's worker does; returns what failed. */
    private static List<String> sendFor(Transport transport, byte[] frame) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        long end = System.nanoTime() + SENDING.toNanos();
        while (System.nanoTime() < end) {
            try {
                Reply reply = transport.send(frame, false);
                if (!reply.ok()) {
                    failures.add(reply.toString());
                }
            } catch (Exception e) {
                failures.add(e.toString());
            }
            Thread.sleep(20);
        }
        return failures;
    }

    /** A channel like the client's own (GrpcWire), which notes the local address of every connection its calls went on. */
    private static final class Connections {
        final Set<SocketAddress> seen = ConcurrentHashMap.newKeySet();

        ManagedChannel channel(int port) {
            ClientStreamTracer.Factory noting = new ClientStreamTracer.Factory() {
                @Override
                public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                    return new ClientStreamTracer() {
                        @Override
                        public void streamCreated(io.grpc.Attributes transportAttrs, Metadata headers) {
                            seen.add(transportAttrs.get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR));
                        }
                    };
                }
            };
            return Grpc.newChannelBuilderForAddress("127.0.0.1", port, InsecureChannelCredentials.create())
                    .directExecutor()
                    .disableRetry()
                    .intercept(new ClientInterceptor() {
                        @Override
                        public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                                                                                   CallOptions options, Channel next) {
                            return next.newCall(method, options.withStreamTracerFactory(noting));
                        }
                    })
                    .build();
        }
    }
}

package inferbench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.client.source.ImageSource;
import inferbench.client.source.MatImages;
import inferbench.client.transport.GrpcStreamTransport;
import inferbench.client.transport.GrpcUnaryTransport;
import inferbench.client.transport.PredictOnlyServer;
import inferbench.client.transport.Reply;
import inferbench.client.transport.RestTransport;
import inferbench.client.transport.TestServers;
import inferbench.client.transport.Transport;
import inferbench.pipeline.Box;
import inferbench.samples.SampleFrames;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole client against the real REST and gRPC servers, headless. */
@Timeout(120)
class ClientEndToEndTest {
    private static final int FRAMES = 5;
    private static TestServers servers;

    @BeforeAll
    static void startServers(@TempDir Path storage) throws Exception {
        servers = TestServers.start(storage);
    }

    @AfterAll
    static void stopServers() throws Exception {
        servers.close();
    }

    @ParameterizedTest(name = "gRPC {0}")
    @ValueSource(strings = {"unary", "stream"})
    void sampleFramesShowOneFaceWithEqualBoxesInBothPanels(String grpcMode) throws Exception {
        Transport grpc = grpcMode.equals("stream") ? new GrpcStreamTransport(servers.grpcTarget())
                : new GrpcUnaryTransport(servers.grpcTarget());
        WindowView view;
        try (LiveSession session = new LiveSession(ImageSource.sample("sample photo", 30),
                new RestTransport(servers.restUrl(), RestTransport.Body.MULTIPART), "rest", grpc, "grpc",
                new Controls(Controls.Mode.BOTH, false), 30, SampleFrames.JPEG_QUALITY, false, "", FRAMES)) {
            session.start();
            assertTrue(session.awaitLastFrame(60_000), "both protocols answered the last frame");
            view = session.view();
        }
        for (PanelView panel : List.of(view.rest(), view.grpc())) {
            assertEquals(FRAMES, panel.frameId(), panel.protocol());
            assertEquals("", panel.error(), panel.protocol());
            assertEquals("OK", panel.reply().status(), panel.protocol());
            assertEquals(1, panel.reply().boxes().size(), panel.protocol());
            assertTrue(panel.metrics().replies() > 0);
        }
        List<Box> restBoxes = view.rest().reply().boxes();
        assertEquals(restBoxes, view.grpc().reply().boxes(), "REST and gRPC found the same box");
        byte[] lastFrame = MatImages.encodeJpeg(view.rest().image(), SampleFrames.JPEG_QUALITY);
        assertEquals(servers.pipeline.process(lastFrame, false, "test").boxes(), restBoxes,
                "the servers answered what the pipeline finds in the same JPEG");

        BufferedImage picture = new WindowRenderer().render(view);
        Box box = restBoxes.get(0);
        for (int panel = 0; panel < 2; panel++) {
            Point at = WindowRenderer.imageOrigin(panel);
            assertEquals(Theme.BOX.getRGB(), picture.getRGB(at.x + Math.round(box.x()),
                    at.y + Math.round(box.y() + box.h() / 2)), "the box is drawn on panel " + panel);
        }
    }

    @Test
    void theScreenshotCommandDrawsBothAnswers(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("client.png");
        ClientAppTest.Run run = ClientAppTest.Run.of("--source", "sample", "--rest", servers.restUrl().toString(),
                "--grpc", servers.grpcTarget(), "--grpc-mode", "stream", "--screenshot", png.toString(), "--frames", "3");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("REST: frame 3, OK, 1 face(s)"), run.err());
        assertTrue(run.err().contains("gRPC stream: frame 3, OK, 1 face(s)"), run.err());
        BufferedImage picture = ImageIO.read(png.toFile());
        assertEquals(WindowRenderer.WIDTH, picture.getWidth());
        assertEquals(WindowRenderer.HEIGHT, picture.getHeight());
    }

    @Test
    void theFirstCallAndTheWarmUpAreKeptOutOfTheStatistics() throws Exception {
        WindowView view;
        int frames = 5;
        long firstCallPause = 600;
        try (PredictOnlyServer slowStart = PredictOnlyServer.startWithSlowFirstCall(firstCallPause);
             LiveSession session = new LiveSession(ImageSource.sample("sample photo", 30),
                     new RestTransport(servers.restUrl(), RestTransport.Body.MULTIPART), "rest",
                     new GrpcUnaryTransport(slowStart.target()), "grpc",
                     new Controls(Controls.Mode.BOTH, false), 30, SampleFrames.JPEG_QUALITY, false, "", frames)) {
            session.start();
            assertTrue(session.awaitLastFrame(60_000), "both protocols answered the last frame");
            view = session.view();
            LatencyMetrics.Snapshot grpc = view.grpc().metrics();
            assertTrue(view.grpc().firstCallMs() >= firstCallPause, "first call " + view.grpc().firstCallMs());
            assertTrue(grpc.replies() > 0 && grpc.p95Ms() < firstCallPause / 2,
                    "p95 " + grpc.p95Ms() + " of " + grpc.replies());
            assertEquals(ProtocolWorker.WARM_UP_CALLS, slowStart.predictCalls() - grpc.replies() - grpc.errors(),
                    "the warm-up calls were made, and not counted");
        }
        assertEquals(frames, view.rest().frameId(), "the frame limit counts measured frames only");
        assertTrue(view.rest().firstCallMs() > 0);
        assertTrue(view.rest().metrics().replies() <= frames);
    }

    @Test
    void stopsSendingToAServerThatDoesNotOfferTheCallAndSaysWhatToDo(@TempDir Path dir) throws Exception {
        String restBase = "http://127.0.0.1:" + servers.rest.address().getPort();
        try (PredictOnlyServer predictOnly = PredictOnlyServer.start()) {
            ClientAppTest.Run run = ClientAppTest.Run.of("--source", "sample", "--rest", restBase,
                    "--grpc", predictOnly.target(), "--grpc-mode", "stream",
                    "--screenshot", dir.resolve("stream.png").toString(), "--frames", "3");
            assertEquals(1, run.code(), "gRPC answered no frame\n" + run.err());
            assertTrue(run.err().contains("REST: frame 3, OK, 1 face(s)"), "base address means /predict:\n" + run.err());
            assertTrue(run.err().contains(
                    "gRPC stream: stopped: this server has no PredictStream: use --grpc-mode unary;"), run.err());
            assertEquals(1, predictOnly.predictStreamCalls(), "asked once, not again and again");
        }
        ClientAppTest.Run run = ClientAppTest.Run.of("--source", "sample", "--rest", restBase + "/healthz",
                "--grpc", servers.grpcTarget(), "--screenshot", dir.resolve("rest.png").toString(), "--frames", "1");
        assertEquals(1, run.code(), "REST answered no frame\n" + run.err());
        assertTrue(run.err().contains("REST: stopped: POST /healthz got HTTP 405 (Method Not Allowed): not a /predict"
                + " address: give --rest the server's address, such as http://localhost:8001;"), run.err());
        assertTrue(run.err().contains("gRPC: frame 1, OK, 1 face(s)"), run.err());
    }

    @Test
    void overALinkEachCallTakesARoundTripAndTheFirstOneAnotherToConnect(@TempDir Path dir) throws Exception {
        ClientAppTest.Run run = ClientAppTest.Run.of("--source", "sample", "--rest", servers.restUrl().toString(),
                "--grpc", servers.grpcTarget(), "--link", "rtt=40ms", "--send", "centre",
                "--screenshot", dir.resolve("link.png").toString(), "--frames", "4");

        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().contains("each over rtt=40ms: RTT 40 ms, no rate limit"), run.err());
        for (String protocol : List.of("REST", "gRPC")) {
            Matcher line = Pattern.compile("(?m)^" + protocol + ": frame 4, OK, 1 face\\(s\\) .*p50 ([0-9.]+) ms,"
                    + " .*first call ([0-9.]+) (ms|s)$").matcher(run.err());
            assertTrue(line.find(), run.err());
            assertTrue(Double.parseDouble(line.group(1)) >= 40, "each call a round trip: " + line.group());
            double firstMs = Double.parseDouble(line.group(2)) * (line.group(3).equals("s") ? 1000 : 1);
            assertTrue(firstMs >= 80, "connect, then the call: " + line.group());
        }
    }

    /** Ports swapped: each side names the port's protocol as the likely mistake, and sends there no more. */
    @ParameterizedTest(name = "gRPC {0}")
    @ValueSource(strings = {"unary", "stream"})
    void namesSwappedPortsAsTheLikelyMistake(String grpcMode, @TempDir Path dir) {
        String grpcPort = "127.0.0.1:" + servers.grpc.port();
        String restPort = "127.0.0.1:" + servers.rest.address().getPort();
        ClientAppTest.Run run = ClientAppTest.Run.of("--source", "sample", "--rest", "http://" + grpcPort,
                "--grpc", restPort, "--grpc-mode", grpcMode,
                "--screenshot", dir.resolve("swapped.png").toString(), "--frames", "1");
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains(": stopped: likely a gRPC port: " + grpcPort + " answers in HTTP/2, not"
                + " HTTP/1.1: give --rest the server's address, such as http://localhost:8001;"), run.err());
        assertTrue(run.err().contains(": stopped: likely a REST port: " + restPort + " answers in HTTP/1.1, not"
                + " HTTP/2: give --grpc the gRPC server's address, such as localhost:50051;"), run.err());
    }

    @ParameterizedTest(name = "gRPC {0}")
    @ValueSource(strings = {"unary", "stream"})
    void recoversByItselfWhenTheServersComeBack(String grpcMode, @TempDir Path storage) throws Exception {
        int restPort = freePort();
        int grpcPort = freePort();
        Transport grpc = grpcMode.equals("stream") ? new GrpcStreamTransport("127.0.0.1:" + grpcPort)
                : new GrpcUnaryTransport("127.0.0.1:" + grpcPort);
        try (LiveSession session = new LiveSession(ImageSource.sample("sample photo", 30),
                new RestTransport(URI.create("http://127.0.0.1:" + restPort + "/predict"),
                        RestTransport.Body.MULTIPART), "rest", grpc, "grpc",
                new Controls(Controls.Mode.BOTH, false), 10, SampleFrames.JPEG_QUALITY, false, "", 0)) {
            session.start();
            awaitView(session, v -> !v.rest().error().isEmpty() && !v.grpc().error().isEmpty());
            assertEquals("cannot connect (server down?)", session.view().rest().error());
            assertEquals("cannot connect (server down?)", session.view().grpc().error());
            try (TestServers late = TestServers.start(servers.pipeline, storage, restPort, grpcPort)) {
                awaitView(session, v -> v.rest().error().isEmpty() && v.rest().reply() != null
                        && v.grpc().error().isEmpty() && v.grpc().reply() != null);
                Reply reply = session.view().grpc().reply();
                assertEquals("OK", reply.status());
            }
        }
    }

    private static void awaitView(LiveSession session, Predicate<WindowView> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.test(session.view())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the client did not get there in 30 s: " + session.view());
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package inferbench.client;

import inferbench.client.source.FrameSource;
import inferbench.client.source.FrameSources;
import inferbench.client.transport.GrpcStreamTransport;
import inferbench.client.transport.GrpcUnaryTransport;
import inferbench.client.transport.Reply;
import inferbench.client.transport.RestTransport;
import inferbench.client.transport.Transport;
import inferbench.config.Config;
import inferbench.link.LinkedServers;
import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import javax.imageio.ImageIO;

/**
 * The desktop client: reads the options, opens the frame source and both transports, starts
 * the session, and either shows the window until q/Esc, or (with --screenshot) runs a fixed
 * number of frames and writes the rendered window to a PNG.
 */
public final class ClientApp {
    static final String NO_DISPLAY = """
            client: there is no display to open the window on (DISPLAY is not set, or cannot be reached).
            Run it on a desktop, under a virtual display (xvfb-run -a make client), or without a window:
            --screenshot FILE.png --frames N writes the rendered window to a PNG.""";

    private ClientApp() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the client and returns the process exit code: 0 done, 1 failed (with --screenshot: also
     * when a protocol it sent frames to answered none of them OK), 2 cannot start as asked.
     */
    static int run(String[] args) {
        ClientOptions options;
        try {
            Config config = Config.fromMain(args);
            if (config.has("help")) {
                System.out.print(ClientOptions.USAGE);
                return 0;
            }
            options = ClientOptions.read(config);
        } catch (IllegalArgumentException e) {
            System.err.println("client: " + e.getMessage());
            return 2;
        }
        boolean display = !GraphicsEnvironment.isHeadless();
        if (!display && options.screenshot() == null) {
            System.err.println(NO_DISPLAY);
            return 2;
        }
        FrameSource source;
        try {
            source = FrameSources.open(options.source(), options.fps());
        } catch (IOException | RuntimeException e) {
            System.err.println("client: cannot open --source " + options.source() + ": " + e.getMessage());
            return 2;
        }
        LinkedServers linked;
        try {
            linked = options.link() == null ? null : LinkedServers.start(options.link(), options.rest(),
                    options.grpc());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("client: cannot start the --link relays: " + e.getMessage());
            source.close();
            return 2;
        }
        URI restUrl = linked == null ? options.rest() : linked.restUrl();
        String grpcTarget = linked == null ? options.grpc() : linked.grpcTarget();
        String over = linked == null ? "" : " over " + options.link().name();
        Transport rest = new RestTransport(restUrl, RestTransport.Body.MULTIPART, options.timeout(), options.tls());
        Transport grpc = options.grpcStream() ? new GrpcStreamTransport(grpcTarget, options.timeout(), options.tls())
                : new GrpcUnaryTransport(grpcTarget, options.timeout(), options.tls());
        LiveSession session = new LiveSession(source, rest, options.rest() + over, grpc, options.grpc() + over,
                new Controls(options.mode(), options.save()), options.fps(), options.quality(),
                options.centreOnly(), linked == null ? "" : options.link().describe(),
                options.screenshot() == null ? 0 : options.frames());
        Thread onSignal = new Thread(session::close, "client-shutdown"); // Ctrl-C: release the camera too
        Runtime.getRuntime().addShutdownHook(onSignal);
        CountDownLatch quit = new CountDownLatch(1);
        ClientWindow window = display ? new ClientWindow(session, quit::countDown) : null;
        try {
            if (window != null) {
                window.show(); // before any thread starts, so a missing display fails alone and cleanly
            }
            session.start();
            System.err.println("client: " + source.description() + " -> " + rest.name() + " " + options.rest()
                    + " and " + grpc.name() + " " + options.grpc() + (linked == null ? "" : ", each over "
                    + options.link().describe()) + (options.screenshot() == null ? ", window open"
                    : ", " + count(options.frames(), "frame", "frames") + " to " + options.screenshot()));
            if (options.screenshot() == null) {
                quit.await();
                return 0;
            }
            return screenshot(session, options, window);
        } catch (AWTError | HeadlessException e) {
            System.err.println(NO_DISPLAY + "\n(" + e.getMessage() + ")");
            return 2;
        } catch (Exception e) {
            System.err.println("client: " + e);
            return 1;
        } finally {
            if (window != null) {
                window.close();
            }
            session.close();
            if (linked != null) {
                linked.close();
            }
            removeHook(onSignal);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down, and runs the hook: session.close() may run twice
        }
    }

    /** Waits for the frames (shown in the window when there is one), then writes the picture. */
    private static int screenshot(LiveSession session, ClientOptions options, ClientWindow window) throws Exception {
        long budget = ProtocolWorker.WARM_UP_LIMIT.toMillis() + 1000L * options.frames() / options.fps()
                + 3 * options.timeout().toMillis() + 10_000;
        if (!session.awaitLastFrame(budget)) {
            System.err.println("client: not every protocol answered the last frame within " + budget
                    + " ms; writing the picture as it is");
        }
        if (window != null) {
            System.err.println("client: the window was painted " + count(window.paints(), "time", "times"));
        }
        WindowView view = session.view();
        BufferedImage picture = new WindowRenderer().render(view);
        if (options.screenshot().getParent() != null) {
            Files.createDirectories(options.screenshot().getParent());
        }
        if (!ImageIO.write(picture, "png", options.screenshot().toFile())) {
            System.err.println("client: no PNG writer in this Java");
            return 1;
        }
        System.err.println(summary(view.rest()));
        System.err.println(summary(view.grpc()));
        System.err.println("client: wrote " + options.screenshot() + " (" + picture.getWidth() + "x"
                + picture.getHeight() + ")");
        int status = 0;
        for (PanelView panel : List.of(view.rest(), view.grpc())) {
            if (panel.enabled() && !answeredOk(panel)) {
                System.err.println("client: " + panel.protocol() + " answered no frame OK" + (panel.error().isEmpty()
                        ? "" : " (" + panel.error() + ")"));
                status = 1;
            }
        }
        return status;
    }

    /** Whether any frame, warm-up calls aside, got an OK answer: the last one, or one counted before it. */
    private static boolean answeredOk(PanelView panel) {
        return panel.metrics().replies() > 0 || panel.reply() != null && panel.reply().ok();
    }

    /** "1 frame", "2 frames". */
    static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /**
     * One line per protocol for logs and CI, such as "REST: frame 60, OK, 1 face(s) [...]; 60
     * replies, 0 errors, p50 12.3 ms, p95 14.0 ms, first call 166 ms".
     */
    static String summary(PanelView panel) {
        LatencyMetrics.Snapshot m = panel.metrics();
        Reply reply = panel.reply();
        String result = !panel.enabled() ? "disabled"
                : panel.stopped() ? "stopped: " + panel.error()
                : reply == null ? "no reply" + (panel.error().isEmpty() ? "" : " (" + panel.error() + ")")
                : "frame " + panel.frameId() + ", " + (reply.ok() ? reply.status() + ", " + reply.detectionCount()
                + " face(s) " + reply.boxes() : "ERROR " + reply.error());
        return String.format(Locale.ROOT, "%s: %s; %s, %s, p50 %s, p95 %s, first call %s",
                panel.protocol(), result, count(m.replies(), "reply", "replies"), count(m.errors(), "error", "errors"),
                MetricsCard.ms(m.p50Ms()), MetricsCard.ms(m.p95Ms()), MetricsCard.duration(panel.firstCallMs()));
    }
}

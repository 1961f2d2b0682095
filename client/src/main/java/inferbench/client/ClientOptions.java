package inferbench.client;

import inferbench.client.source.FrameSources;
import inferbench.client.transport.RestTransport;
import inferbench.client.transport.Transport;
import inferbench.config.Config;
import inferbench.link.LinkProfile;
import inferbench.link.LinkProfiles;
import inferbench.samples.SampleFrames;
import inferbench.tls.ClientTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The client's command line, read with {@link Config} (flags, then environment, then defaults).
 *
 * @param timeout      how long each request may take before the client gives up on it
 * @param screenshot   where to write the rendered window, or null for the interactive window
 * @param frames       frames to run before the screenshot
 * @param link         the emulated link both servers are reached through, one relay each, or null for none
 * @param centreOnly   send only the centre square of each frame, the part the servers look at
 * @param tls          TLS for both protocols, or {@link ClientTls#PLAINTEXT}
 */
public record ClientOptions(URI rest, String grpc, String source, Controls.Mode mode, boolean save, int fps,
                            int quality, boolean grpcStream, Duration timeout, Path screenshot, int frames,
                            LinkProfile link, boolean centreOnly, ClientTls tls) {

    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    /** Longer than any frame takes on a loaded machine; past it a stalled server is better reported. */
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public static final String USAGE = """
            Usage: java -jar client/target/client.jar [options]    (or: make client ARGS="...")

            Sends the same camera frames to the REST and the gRPC server and shows both answers side
            by side. Keys: %s.

              --rest URL        REST server (REST_URL, default http://localhost:8001/predict, with
                                --tls https://...); a base address such as http://localhost:8001
                                means its /predict
              --grpc HOST:PORT  gRPC server (GRPC_TARGET, default localhost:50051)
              --grpc-mode M     unary (Predict, one call per frame, default) or stream (PredictStream,
                                one long-lived call)
              --timeout S       seconds each request may take (REQUEST_TIMEOUT, default 5, 0.1-600);
                                past it the panel shows "no answer within S s" and goes on
              --link L          reach both servers through an emulated link (LINK), a relay each:
                                a profile (%s) or a custom one such as
                                rtt=50ms,up=10mbit,down=40mbit,jitter=2ms (with --tls the relays
                                are 127.0.0.1, which the certificate must name: make certs' does)
              --send WHAT       full (default) or centre (SEND): only the centre square of each frame,
                                the part the servers look at, JPEG-encoded at --quality
            %s%s  --mode 1|2|3      start with 1 REST only, 2 gRPC only, 3 both (default 3)
              --save            start with saving on (the servers store each frame)
              --fps N           frames per second read from the source (default 30)
              --quality N       JPEG quality of the frames sent, 1-100 (default 95)
              --screenshot FILE.png  run --frames frames, write the window to FILE.png and exit,
                                with 0 if each protocol sent to answered a frame OK, else 1 (a
                                smoke test); works without a display (shows the window if there is one)
              --frames N        frames for --screenshot (default 60)
              --help            this text
            """.formatted(Controls.KEYS, LinkProfiles.names(), ClientTls.USAGE, FrameSources.USAGE);

    public static ClientOptions read(Config config) {
        ClientTls tls = ClientTls.read(config);
        String restUrl = config.get("rest", "REST_URL",
                (tls.enabled() ? "https" : "http") + "://localhost:8001/predict");
        URI rest;
        try {
            rest = RestTransport.predictUrl(restUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rest: " + e.getMessage());
        }
        if (rest.getScheme().equals("https") != tls.enabled()) {
            throw new IllegalArgumentException(tls.enabled() ? "--tls: give --rest as an https:// address, got " + rest
                    : "--rest " + rest + ": an https:// server needs --tls (and --ca FILE for a private CA)");
        }
        String grpc = config.get("grpc", "GRPC_TARGET", "localhost:50051");
        String grpcMode = config.get("grpc-mode", null, "unary");
        if (!grpcMode.equals("unary") && !grpcMode.equals("stream")) {
            throw new IllegalArgumentException("--grpc-mode must be unary or stream, got '" + grpcMode + "'");
        }
        Duration timeout = config.getSeconds("timeout", "REQUEST_TIMEOUT", Transport.DEFAULT_TIMEOUT,
                MIN_TIMEOUT, MAX_TIMEOUT);
        String send = config.get("send", "SEND", "full");
        if (!send.equals("full") && !send.equals("centre")) {
            throw new IllegalArgumentException("--send (SEND) must be full or centre, got '" + send + "'");
        }
        String link = config.get("link", "LINK", null);
        LinkProfile profile;
        try {
            profile = link == null ? null : LinkProfiles.parse(link);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--link (LINK): " + e.getMessage());
        }
        String screenshot = config.get("screenshot", null, null);
        if (screenshot != null && !screenshot.toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--screenshot writes a PNG: give a file name ending in .png");
        }
        ClientOptions options = new ClientOptions(rest, grpc,
                config.get("source", null, "webcam:0"),
                Controls.Mode.ofKey(config.getInt("mode", null, 3, 1)),
                config.getBoolean("save", null, false),
                (int) config.getLong("fps", null, 30, 1, 120),
                (int) config.getLong("quality", null, SampleFrames.JPEG_QUALITY, 1, 100),
                grpcMode.equals("stream"),
                timeout,
                screenshot == null ? null : Path.of(screenshot),
                (int) config.getLong("frames", null, 60, 1, 100_000),
                profile,
                send.equals("centre"),
                tls);
        if (config.has("frames") && screenshot == null) {
            throw new IllegalArgumentException("--frames goes with --screenshot FILE.png");
        }
        config.rejectUnknown();
        return options;
    }
}

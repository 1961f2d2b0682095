package inferbench.grpc;

import inferbench.grpc.limits.GrpcLimits;
import inferbench.grpc.metrics.GrpcMetrics;
import inferbench.pipeline.DetectionPipeline;
import inferbench.server.ListenAddress;
import inferbench.server.ServerMain;
import inferbench.server.ServerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar server-grpc.jar}: the core server ({@link GrpcServer}) with its limits
 * ({@link GrpcLimits}), access log and metrics ({@link GrpcMetrics}) attached, configured, started
 * and stopped by the main flow both servers share ({@link ServerMain}).
 */
public final class GrpcServerMain {
    static final String NAME = "server-grpc";

    static final String USAGE = """
            usage: java -jar server-grpc.jar [options]
                   java -jar server-grpc.jar --probe [--host HOST] [--port N] [--tls [--ca FILE]]

            Serves img.Inference (Predict, PredictStream), grpc.health.v1.Health and server
            reflection over HTTP/2, plaintext or TLS. Options, or the environment variables in brackets:
            """ + ServerSettings.usage(GrpcServer.DEFAULT_PORT) + """
              --probe           ask a running server's health service; exit 0 when SERVING, else 1
              --host HOST       with --probe: the server's address (default 127.0.0.1)
              --tls, --ca FILE  with --probe: over TLS, trusting the CA certificate(s) in FILE (TLS=1,
                                TLS_CA; default: the JDK's trust store); the host name is checked
              --help            print this help

            """ + ServerMain.EXIT_STATUS_HELP;

    private static final ServerMain.Spec SPEC = new ServerMain.Spec(NAME, GrpcServer.DEFAULT_PORT, USAGE,
            GrpcServerMain::start, HealthProbe::check);

    private GrpcServerMain() {
    }

    /** The server with its limits and watchers, started; its access log (when on) and error log go to standard output and error. */
    public static GrpcServer start(ServerSettings settings, DetectionPipeline pipeline) throws IOException {
        return start(settings, pipeline, System.out, System.err);
    }

    /**
     * The server with its limits and watchers, started: the access log when
     * {@code settings.accessLog()} is on, the metrics on {@code settings.metricsPort()} unless it is 0.
     *
     * @param accessLog where the access log goes
     * @param errorLog  where brief lines about misbehaving clients go
     */
    static GrpcServer start(ServerSettings settings, DetectionPipeline pipeline, PrintStream accessLog,
                            PrintStream errorLog) throws IOException {
        GrpcLimits limits = new GrpcLimits(settings.limits(), errorLog, NAME + ": ");
        List<GrpcServer.Watcher> watchers = new ArrayList<>();
        if (settings.accessLog()) {
            watchers.add(new AccessLog(accessLog));
        }
        if (settings.metricsPort() != 0) {
            InetSocketAddress address = ListenAddress.resolve(settings); // the same --bind, the metrics' own port
            watchers.add(new GrpcMetrics(limits, new InetSocketAddress(address.getAddress(), settings.metricsPort())));
        }
        return new GrpcServer(settings, pipeline, watchers, limits).start();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Everything main does; returns the exit status (see {@link ServerMain}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return ServerMain.run(SPEC, args, env, out, err);
    }
}

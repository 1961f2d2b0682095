package inferbench.rest;

import inferbench.pipeline.DetectionPipeline;
import inferbench.rest.limits.RestLimits;
import inferbench.rest.metrics.RestMetrics;
import inferbench.server.ServerMain;
import inferbench.server.ServerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar server-rest.jar}: the core server ({@link RestServer}) with its limits
 * ({@link RestLimits}), access log and metrics ({@link RestMetrics}) attached, configured, started
 * and stopped by the main flow both servers share ({@link ServerMain}).
 */
public final class RestServerMain {
    static final String NAME = "server-rest";

    static final String USAGE = """
            usage: java -jar server-rest.jar [options]
                   java -jar server-rest.jar --probe [--host HOST] [--port N] [--tls [--ca FILE]]

            Serves POST /predict (multipart/form-data with a "file" part, or a raw image/jpeg body;
            ?save=1 stores the result), GET /healthz and GET / over HTTP/1.1, plaintext or TLS.
            Options, or the environment variables in brackets:
            """ + ServerSettings.usage(RestServer.DEFAULT_PORT) + """
              --probe           ask a running server's GET /healthz; exit 0 when it answers 200, else 1
              --host HOST       with --probe: the server's address (default 127.0.0.1)
              --tls, --ca FILE  with --probe: over TLS, trusting the CA certificate(s) in FILE (TLS=1,
                                TLS_CA; default: the JDK's trust store); the host name is checked
              --help            print this help

            """ + ServerMain.EXIT_STATUS_HELP;

    private static final ServerMain.Spec SPEC = new ServerMain.Spec(NAME, RestServer.DEFAULT_PORT, USAGE,
            RestServerMain::start, HealthProbe::check);

    private RestServerMain() {
    }

    /** The server with its limits and watchers, started; its access log, when on, goes to standard output. */
    public static RestServer start(ServerSettings settings, DetectionPipeline pipeline) throws IOException {
        return start(settings, pipeline, System.out);
    }

    /**
     * The server with its limits and watchers, started: the access log when
     * {@code settings.accessLog()} is on, the metrics unless {@code settings.metricsPort()} is 0
     * (they are served on the server's own port).
     *
     * @param accessLog where the access log goes
     */
    static RestServer start(ServerSettings settings, DetectionPipeline pipeline, PrintStream accessLog)
            throws IOException {
        AccessLog log = settings.accessLog() ? new AccessLog(accessLog) : null;
        RestLimits limits = new RestLimits(settings.limits(), log);
        List<RestServer.Watcher> watchers = new ArrayList<>();
        if (log != null) {
            watchers.add(log);
        }
        if (settings.metricsPort() != 0) {
            watchers.add(new RestMetrics(limits));
        }
        return new RestServer(settings, pipeline, watchers, limits).start();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Everything main does; returns the exit status (see {@link ServerMain}). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return ServerMain.run(SPEC, args, env, out, err);
    }
}

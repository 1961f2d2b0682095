package inferbench.rest.limits;

import inferbench.server.RequestLimits;
import java.util.logging.Logger;

/**
 * The JDK HttpServer's own limits, which are JVM-wide switches. The JDK reads them once, when the
 * first server of the process is created, so they are set before that, and a later server in the
 * same process shares the first one's values (the servers run one per process; tests start
 * many). A {@code -Dname=value} on the command line wins.
 */
final class JdkLimits {
    private static final Logger LOG = Logger.getLogger(JdkLimits.class.getName());
    private static final String IDLE_INTERVAL = "sun.net.httpserver.idleInterval";

    private JdkLimits() {
    }

    static void set(RequestLimits limits) {
        // The JDK never reads a body on its own: after a reply it would otherwise read up to 64 KiB
        // of what is left, waiting for a client that may never send it. LimitedExchange reads every
        // body to its end, under the body deadline (the connection is kept), or answers with
        // Connection: close (it is closed at once).
        defaultProperty("sun.net.httpserver.drainAmount", "0");
        // Backstops above RequestHead's own limits, which answer 431; past these the JDK resets.
        defaultProperty("sun.net.httpserver.maxReqHeaderSize", Integer.toString(RequestHead.JDK_MAX_BYTES));
        defaultProperty("sun.net.httpserver.maxReqHeaders", Integer.toString(RequestHead.JDK_MAX_FIELDS));
        // Kept-alive connections with no request in progress, and connections that have sent
        // nothing yet, wait in the JDK's selector: it closes them after this many seconds, checked
        // every clock tick (10 s by default, so up to 10 s late).
        defaultProperty(IDLE_INTERVAL, Long.toString(limits.idleTimeout().toSeconds()));
        defaultProperty("sun.net.httpserver.clockTick", "1000");
        if (!System.getProperty(IDLE_INTERVAL).equals(Long.toString(limits.idleTimeout().toSeconds()))) {
            LOG.warning("--idle-timeout " + limits.idleTimeout().toSeconds() + " not applied: this process's"
                    + " HTTP servers close idle connections after " + System.getProperty(IDLE_INTERVAL) + " s");
        }
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}

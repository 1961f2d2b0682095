package inferbench.rest;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import inferbench.server.RequestLimits;
import inferbench.tls.Tls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * Creates the JDK's {@link HttpServer} with the JVM-wide switches this service needs set first.
 * The JDK reads them once, when the first server of the process is created, so every server here
 * is created through this class, and a later server in the same process shares the first one's
 * values (the servers run one per process; tests start many). A {@code -Dname=value} on the
 * command line wins.
 */
final class JdkHttpServer {
    private static final Logger LOG = Logger.getLogger(JdkHttpServer.class.getName());
    private static final String IDLE_INTERVAL = "sun.net.httpserver.idleInterval";

    private JdkHttpServer() {
    }

    /**
     * @param tls the server's TLS, or null for plaintext. The JDK's {@link HttpsServer} is the
     *            same server with the connection's streams wrapped in TLS: the handshake happens
     *            when the request line is first read, on the connection thread, within the
     *            header deadline, as the headers themselves are.
     */
    static HttpServer create(InetSocketAddress address, RequestLimits limits, SSLContext tls) throws IOException {
        // HttpServer writes a reply's headers and body with two writes. With Nagle's algorithm
        // on, the body then waits for the client's delayed ACK of the headers (40 ms on Linux)
        // on every request of a kept-alive connection.
        defaultProperty("sun.net.httpserver.nodelay", "true");
        // The JDK never reads a body on its own: after a reply it would otherwise read up to 64 KiB
        // of what is left, waiting for a client that may never send it. Routes reads every body to
        // its end (the connection is kept) or answers with Connection: close (it is closed at once).
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
        // The queue of connections the kernel has accepted and the dispatcher not yet: with the
        // default of 50, a burst of new connections beyond it waits 1 s for the client's SYN retry.
        if (tls == null) {
            return HttpServer.create(address, limits.maxConnections());
        }
        HttpsServer https = HttpsServer.create(address, limits.maxConnections());
        https.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                parameters.setSSLParameters(Tls.parameters(tls, false));
            }
        });
        return https;
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}

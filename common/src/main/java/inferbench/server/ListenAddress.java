package inferbench.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * The address a server listens on, handled the same way by both servers: the configured one
 * resolved ({@code --bind}, {@code --port}), the bound one written for a person, and a failure
 * to bind explained with what to do about it.
 */
public final class ListenAddress {
    private ListenAddress() {
    }

    /** The configured address; an unknown {@code --bind} host is a configuration error. */
    public static InetSocketAddress resolve(ServerSettings settings) {
        InetSocketAddress address = new InetSocketAddress(settings.bind(), settings.port());
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("--bind / BIND_ADDRESS: cannot resolve '" + settings.bind() + "'");
        }
        return address;
    }

    /**
     * {@code 127.0.0.1:8001}, {@code [::1]:8001}, and {@code 0.0.0.0:8001} for "all interfaces"
     * whichever wildcard the transport reports (Netty's native transport binds 0.0.0.0 as the
     * dual-stack {@code ::}). Also fine for a peer's address, which is never a wildcard.
     */
    public static String hostPort(InetSocketAddress address) {
        if (address.getAddress() == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        if (address.getAddress().isAnyLocalAddress()) {
            return "0.0.0.0:" + address.getPort();
        }
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * A failure to bind, said the way a person fixes it. Looks through the causes for the
     * system's words, because the JDK reports a busy port as a {@code BindException} but
     * Netty's native transport as its own IOException around it.
     */
    public static IOException bindFailure(ServerSettings settings, IOException e) {
        return new IOException(isPortInUse(e)
                ? "port " + settings.port() + " is in use: stop the other server or pass --port"
                : "cannot listen on " + settings.bind() + ":" + settings.port() + ": " + rootMessage(e)
                        + " (check --bind and --port)", e);
    }

    private static boolean isPortInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}

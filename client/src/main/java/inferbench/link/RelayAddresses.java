package inferbench.link;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Where a client's REST URL and gRPC target point, and the same addresses through a relay
 * listening on loopback: what the emulated link and the benchmark's byte-counting relay both
 * put between a client and a server.
 */
public final class RelayAddresses {
    private RelayAddresses() {
    }

    /** The host and port a REST URL reaches: its own port, else 443 or 80 by its scheme. */
    public static InetSocketAddress of(URI restUrl) {
        int port = restUrl.getPort() >= 0 ? restUrl.getPort() : "https".equals(restUrl.getScheme()) ? 443 : 80;
        return InetSocketAddress.createUnresolved(restUrl.getHost(), port);
    }

    /** The host and port of a gRPC target HOST:PORT (an IPv6 host in brackets). */
    public static InetSocketAddress of(String grpcTarget) {
        int colon = grpcTarget.lastIndexOf(':');
        if (colon < 1 || !grpcTarget.substring(colon + 1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("to be relayed, the gRPC target must be HOST:PORT, got " + grpcTarget);
        }
        return InetSocketAddress.createUnresolved(grpcTarget.substring(0, colon).replaceAll("^\\[|]$", ""),
                Integer.parseInt(grpcTarget.substring(colon + 1)));
    }

    /** The REST URL through a relay on loopback {@code relayPort}: scheme (TLS passes through), path, query kept. */
    public static URI through(URI restUrl, int relayPort) {
        return URI.create(restUrl.getScheme() + "://127.0.0.1:" + relayPort + restUrl.getRawPath()
                + (restUrl.getRawQuery() == null ? "" : "?" + restUrl.getRawQuery()));
    }

    /** The gRPC target of a relay on loopback {@code relayPort}. */
    public static String through(int relayPort) {
        return "127.0.0.1:" + relayPort;
    }
}

package inferbench.link;

import java.io.IOException;
import java.net.URI;

/**
 * A REST server and a gRPC server, each reached through a {@link LinkRelay} of its own with the
 * same profile: the addresses to give the clients instead of the servers' own.
 */
public final class LinkedServers implements AutoCloseable {
    private final LinkRelay rest;
    private final LinkRelay grpc;
    private final URI restUrl;

    private LinkedServers(LinkRelay rest, LinkRelay grpc, URI restUrl) {
        this.rest = rest;
        this.grpc = grpc;
        this.restUrl = restUrl;
    }

    /**
     * @param restUrl    the REST server's /predict address, or null for none
     * @param grpcTarget the gRPC server's HOST:PORT, or null for none
     */
    public static LinkedServers start(LinkProfile profile, URI restUrl, String grpcTarget) throws IOException {
        int grpcColon = grpcTarget == null ? -1 : grpcTarget.lastIndexOf(':');
        if (grpcTarget != null && (grpcColon < 1 || !grpcTarget.substring(grpcColon + 1).matches("\\d{1,5}"))) {
            throw new IllegalArgumentException("through a link, the gRPC target must be HOST:PORT, got " + grpcTarget);
        }
        LinkRelay rest = null;
        try {
            if (restUrl != null) {
                int port = restUrl.getPort() >= 0 ? restUrl.getPort() : "https".equals(restUrl.getScheme()) ? 443 : 80;
                rest = LinkRelay.start(profile, restUrl.getHost(), port);
            }
            LinkRelay grpc = grpcTarget == null ? null : LinkRelay.start(profile,
                    grpcTarget.substring(0, grpcColon).replaceAll("^\\[|]$", ""),
                    Integer.parseInt(grpcTarget.substring(grpcColon + 1)));
            // the scheme is kept: a TLS client speaks TLS to the relay, which passes the bytes on
            URI relayed = rest == null ? null : URI.create(restUrl.getScheme() + "://127.0.0.1:" + rest.port()
                    + restUrl.getRawPath()
                    + (restUrl.getRawQuery() == null ? "" : "?" + restUrl.getRawQuery()));
            return new LinkedServers(rest, grpc, relayed);
        } catch (IOException | RuntimeException e) {
            if (rest != null) {
                rest.close();
            }
            throw e;
        }
    }

    /** The REST address through the link, or null. */
    public URI restUrl() {
        return restUrl;
    }

    /** The gRPC target through the link, or null. */
    public String grpcTarget() {
        return grpc == null ? null : "127.0.0.1:" + grpc.port();
    }

    @Override
    public void close() {
        if (rest != null) {
            rest.close();
        }
        if (grpc != null) {
            grpc.close();
        }
    }
}

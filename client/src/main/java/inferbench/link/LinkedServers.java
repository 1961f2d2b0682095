package inferbench.link;

import java.io.IOException;
import java.net.InetSocketAddress;
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
        InetSocketAddress grpcServer = grpcTarget == null ? null : RelayAddresses.of(grpcTarget);
        LinkRelay rest = null;
        try {
            if (restUrl != null) {
                InetSocketAddress restServer = RelayAddresses.of(restUrl);
                rest = LinkRelay.start(profile, restServer.getHostString(), restServer.getPort());
            }
            LinkRelay grpc = grpcServer == null ? null
                    : LinkRelay.start(profile, grpcServer.getHostString(), grpcServer.getPort());
            // the scheme is kept: a TLS client speaks TLS to the relay, which passes the bytes on
            return new LinkedServers(rest, grpc, rest == null ? null : RelayAddresses.through(restUrl, rest.port()));
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
        return grpc == null ? null : RelayAddresses.through(grpc.port());
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

package inferbench.client.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Tells a port that speaks the other protocol: the REST and gRPC ports swapped, the likely
 * mistake behind a REST request or a gRPC call that broke off with no usable answer. It asks
 * the port once, on a new connection, with a small HTTP/1.1 request, and reads the first bytes
 * of the answer: an HTTP/1.x status line, or the SETTINGS frame an HTTP/2 server sends first
 * (RFC 9113, 3.4 and 6.5).
 *
 * <p>The failed request itself cannot tell reliably: a server that refuses it closes the
 * connection with the rest of the upload unread, and the reset that follows can destroy the
 * answer before the client reads it. Asked only after a failure, so it costs nothing otherwise.
 */
final class OtherProtocol {
    private static final Duration LIMIT = Duration.ofSeconds(1);
    private static final int FRAME_HEADER = 9;
    private static final int SETTINGS = 4;

    private OtherProtocol() {
    }

    /**
     * A REST request failed ({@code failure}): if its port answers in HTTP/2, a
     * {@link NotOfferedException} that says so, else {@code failure} itself.
     */
    static IOException ofRest(URI url, IOException failure) {
        int port = url.getPort() < 0 ? 80 : url.getPort();
        if (!speaksHttp2(url.getHost(), port)) {
            return failure;
        }
        NotOfferedException wrongPort = new NotOfferedException(RestReply.POST_PREDICT, "likely a gRPC port: "
                + url.getRawAuthority() + " answers in HTTP/2, not HTTP/1.1");
        wrongPort.initCause(failure);
        return wrongPort;
    }

    /** Whether a gRPC target ("host:port") answers in HTTP/1.x: then it is likely the REST port. */
    static boolean speaksHttp1(String authority) {
        URI target = URI.create("//" + authority);
        byte[] start = firstBytes(target.getHost(), target.getPort());
        return new String(start, StandardCharsets.US_ASCII).startsWith("HTTP/1.");
    }

    private static boolean speaksHttp2(String host, int port) {
        byte[] start = firstBytes(host, port);
        return start.length == FRAME_HEADER && start[3] == SETTINGS && start[4] == 0 // not an ACK
                && start[5] == 0 && start[6] == 0 && start[7] == 0 && start[8] == 0; // stream 0
    }

    /** The first 9 bytes the port answers to {@code GET /}, fewer if it answers less, none if it fails. */
    private static byte[] firstBytes(String host, int port) {
        if (host == null || port < 0) {
            return new byte[0];
        }
        String bare = host.replaceAll("^\\[|\\]$", ""); // an IPv6 literal comes in brackets
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(bare, port), (int) LIMIT.toMillis());
            socket.setSoTimeout((int) LIMIT.toMillis());
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return in.readNBytes(FRAME_HEADER);
        } catch (IOException | IllegalArgumentException e) {
            return new byte[0];
        }
    }
}

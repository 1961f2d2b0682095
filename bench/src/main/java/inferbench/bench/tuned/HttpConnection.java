package inferbench.bench.tuned;

import inferbench.client.transport.HttpPoster;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * One kept-alive HTTP/1.1 connection that carries one request at a time: the calling thread
 * writes the request and reads the response itself, with no other thread involved. The tuned
 * REST client ({@link HttpConnectionPool}) is made of these.
 *
 * <p>Every wait (connect, write, read) ends at the request's deadline, which a plain blocking
 * socket cannot do for writes; hence a non-blocking channel and a selector of its own. A
 * response is read by Content-Length, chunked, or to the end of the connection; its head and
 * body are bounded, so a misbehaving server cannot make the client allocate without limit.
 * With TLS, the bytes go through a {@link TlsChannel} on the same thread and deadline.
 */
final class HttpConnection implements Closeable {
    static final int MAX_HEAD_BYTES = 64 * 1024;
    static final int MAX_BODY_BYTES = HttpPoster.MAX_REPLY_BYTES;

    /** A response; {@code reusable} when the connection may carry the next request. */
    record Response(int status, byte[] body, boolean reusable) {
    }

    /**
     * The connection broke before the server had the whole request, or closed before a byte of
     * the response. On a kept-alive connection this is what a server that closed it while it
     * sat idle looks like: it never read the request.
     */
    static final class NoResponse extends IOException {
        NoResponse(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    /** TLS over the channel, or null for plaintext. */
    private TlsChannel tls;
    /** Response bytes read and not yet used, between position and limit. */
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024).flip();
    private long deadline;

    private HttpConnection(SocketChannel channel, Selector selector) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, 0);
    }

    /**
     * Connects to {@code host:port} (resolved now, so a changed address is picked up), with TLS
     * if {@code tls} is not null: the handshake, and the check of the certificate against
     * {@code host}, are part of opening.
     */
    static HttpConnection open(String host, int port, SSLContext tls, long deadlineNanos) throws IOException {
        SocketChannel channel = SocketChannel.open();
        HttpConnection connection = null;
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // a request is one write: no need to wait for ACKs
            connection = new HttpConnection(channel, Selector.open());
            connection.deadline = deadlineNanos;
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (!channel.connect(address)) {
                while (!channel.finishConnect()) {
                    connection.await(SelectionKey.OP_CONNECT, "connecting to " + host + ":" + port);
                }
            }
            if (tls != null) {
                connection.tls = new TlsChannel(channel, tls, host, port);
                connection.tls.handshake(connection::await);
            }
            return connection;
        } catch (IOException | RuntimeException e) {
            if (connection != null) {
                connection.close();
            } else {
                channel.close();
            }
            throw e;
        }
    }

    /** Sends a request (its head, then its body) and reads the response. */
    Response exchange(byte[] head, byte[] body, long deadlineNanos) throws IOException {
        deadline = deadlineNanos;
        ByteBuffer[] request = {ByteBuffer.wrap(head), ByteBuffer.wrap(body)};
        try {
            if (tls != null) {
                tls.write(request, this::await);
            }
            while (request[0].hasRemaining() || request[1].hasRemaining()) {
                if (channel.write(request) == 0) {
                    await(SelectionKey.OP_WRITE, "sending the request");
                }
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) { // the server acts on a request only once it has all of it
            throw new NoResponse("the connection broke while sending the request: " + e.getMessage(), e);
        }
        return readResponse();
    }

    private Response readResponse() throws IOException {
        if (!in.hasRemaining() && !fill()) {
            throw new NoResponse("the server closed the connection without answering", null);
        }
        String statusLine;
        Head head;
        int status;
        do { // 1xx (100 Continue, 103 Early Hints) come before the real response
            statusLine = readLine();
            status = statusOf(statusLine);
            head = readHeaders();
        } while (status >= 100 && status < 200);
        byte[] body;
        boolean toEnd = false;
        if (status == 204 || status == 304) {
            body = new byte[0];
        } else if (head.chunked) {
            body = readChunked();
        } else if (head.contentLength >= 0) {
            body = readExactly(head.contentLength);
        } else {
            body = readToEnd();
            toEnd = true;
        }
        boolean keepAlive = statusLine.startsWith("HTTP/1.1") ? !head.close : head.keepAlive;
        return new Response(status, body, keepAlive && !toEnd);
    }

    /** The headers that decide how the body is framed and whether the connection stays open. */
    private static final class Head {
        long contentLength = -1;
        boolean chunked;
        boolean close;
        boolean keepAlive;
    }

    private Head readHeaders() throws IOException {
        Head head = new Head();
        int total = 0;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            total += line.length() + 2;
            if (total > MAX_HEAD_BYTES) {
                throw new IOException("response headers over " + MAX_HEAD_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed response header: " + abbreviate(line));
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> head.contentLength = contentLength(value);
                case "transfer-encoding" -> head.chunked = value.endsWith("chunked");
                case "connection" -> {
                    head.close |= value.contains("close");
                    head.keepAlive |= value.contains("keep-alive");
                }
                default -> { }
            }
        }
        return head;
    }

    private static int statusOf(String statusLine) throws IOException {
        // "HTTP/1.1 200 OK": the reason phrase may be empty or missing
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x response: " + abbreviate(statusLine));
        }
        try {
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + abbreviate(statusLine));
        }
    }

    private static long contentLength(String value) throws IOException {
        try {
            long length = Long.parseLong(value);
            if (length < 0) {
                throw new NumberFormatException();
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + abbreviate(value));
        }
    }

    private byte[] readExactly(long length) throws IOException {
        if (length > MAX_BODY_BYTES) {
            throw new IOException("response body of " + length + " bytes is over the " + MAX_BODY_BYTES + " limit");
        }
        byte[] body = new byte[(int) length];
        for (int done = 0; done < body.length; ) {
            if (!in.hasRemaining() && !fill()) {
                throw new IOException("the server closed the connection after " + done + " of " + length + " body bytes");
            }
            int n = Math.min(in.remaining(), body.length - done);
            in.get(body, done, n);
            done += n;
        }
        return body;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';'); // chunk extensions are allowed and ignored
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size < 0 || body.size() + size > MAX_BODY_BYTES) {
                throw new IOException("chunked response body over the " + MAX_BODY_BYTES + " byte limit");
            }
            if (size == 0) {
                readHeaders(); // trailer fields, up to the empty line
                return body.toByteArray();
            }
            body.writeBytes(readExactly(size));
            if (!readLine().isEmpty()) {
                throw new IOException("a chunk does not end with CRLF");
            }
        }
    }

    private byte[] readToEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        do {
            if (body.size() + in.remaining() > MAX_BODY_BYTES) {
                throw new IOException("response body over the " + MAX_BODY_BYTES + " byte limit");
            }
            body.write(in.array(), in.position(), in.remaining());
            in.position(in.limit());
        } while (fill());
        return body.toByteArray();
    }

    /** One line of the head, without its CRLF (a bare LF is accepted too, as RFC 9112 allows). */
    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (!in.hasRemaining() && !fill()) {
                throw new IOException("the server closed the connection in the middle of the response head");
            }
            char c = (char) (in.get() & 0xff);
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_HEAD_BYTES) {
                throw new IOException("a response header line over " + MAX_HEAD_BYTES + " bytes");
            }
            line.append(c);
        }
    }

    /** Reads more response bytes into the buffer; false at the end of the connection. */
    private boolean fill() throws IOException {
        in.compact();
        try {
            while (true) {
                int n = tls != null ? tls.read(in, this::await) : channel.read(in);
                if (n > 0) {
                    return true;
                }
                if (n < 0) {
                    return false;
                }
                await(SelectionKey.OP_READ, "waiting for the response");
            }
        } finally {
            in.flip();
        }
    }

    private void await(int operation, String doing) throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("timed out " + doing);
        }
        key.interestOps(operation);
        selector.select(left);
        selector.selectedKeys().clear();
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "...";
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing what is being thrown away: nothing left to do
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // as above
        }
    }
}

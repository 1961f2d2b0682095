package inferbench.bench.tuned;

import inferbench.tls.Tls;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS for {@link HttpConnection}: the JDK's {@link SSLEngine} between the connection's buffers
 * and its non-blocking socket, on the calling thread, as everything in the tuned client is.
 * The engine only turns bytes into TLS records and back; this class moves the records, and
 * waits (through the connection's deadline) whenever the socket cannot take or give more.
 */
final class TlsChannel {
    /** The connection's wait for its socket, which ends at the request's deadline. */
    interface Waiter {
        void await(int operation, String doing) throws IOException;
    }

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SocketChannel channel;
    private final SSLEngine engine;
    /** Records read from the socket and not yet decrypted: filled from position, read from 0. */
    private final ByteBuffer netIn;
    /** Records encrypted and not yet written, between position and limit. */
    private final ByteBuffer netOut;
    /** Decrypted bytes not yet handed out, between position and limit. */
    private final ByteBuffer appIn;

    /** The certificate must name {@code host}, as the JDK's HttpClient checks it. */
    TlsChannel(SocketChannel channel, SSLContext context, String host, int port) {
        this.channel = channel;
        this.engine = context.createSSLEngine(host, port); // the host also goes out as SNI
        engine.setUseClientMode(true);
        engine.setSSLParameters(Tls.parameters(context, true));
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet).flip();
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    }

    /** The TLS handshake: one round trip with TLS 1.3, two with 1.2 (after TCP's own). */
    void handshake(Waiter waiter) throws IOException {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    wrap(NOTHING);
                    flush(waiter, "sending the TLS handshake");
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        readRecords(waiter, "waiting for the server's TLS handshake (a plaintext server does not"
                                + " answer one: is this port TLS?)");
                    }
                }
                case NEED_TASK -> runTasks();
                default -> {
                    return; // FINISHED or NOT_HANDSHAKING
                }
            }
        }
    }

    /** Encrypts and sends all of {@code data}. */
    void write(ByteBuffer[] data, Waiter waiter) throws IOException {
        do {
            wrap(data);
            flush(waiter, "sending the request");
        } while (remaining(data));
    }

    /** Reads at least one decrypted byte into {@code into}; -1 when the server has closed the connection. */
    int read(ByteBuffer into, Waiter waiter) throws IOException {
        while (!appIn.hasRemaining()) {
            if (engine.isInboundDone()) {
                return -1;
            }
            if (!unwrap() && !engine.isInboundDone()) {
                if (!readRecordsOrEnd(waiter, "waiting for the response")) {
                    return -1;
                }
            }
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                wrap(NOTHING); // a TLS 1.3 key update or a close_notify asks for an answer
                flush(waiter, "answering the server's TLS message");
            }
        }
        int n = Math.min(into.remaining(), appIn.remaining());
        into.put(appIn.array(), appIn.arrayOffset() + appIn.position(), n);
        appIn.position(appIn.position() + n);
        return n;
    }

    private void wrap(ByteBuffer[] data) throws SSLException {
        netOut.compact();
        try {
            SSLEngineResult result = engine.wrap(data, netOut);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED && remaining(data)) {
                throw new SSLException("the TLS connection was closed while sending");
            }
        } finally {
            netOut.flip();
        }
        runTasks();
    }

    /** Decrypts what has been read: true if that made progress (bytes out, or a handshake step). */
    private boolean unwrap() throws SSLException {
        netIn.flip();
        appIn.compact();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
            appIn.flip();
        }
        runTasks();
        return switch (result.getStatus()) {
            case OK -> result.bytesConsumed() > 0 || result.bytesProduced() > 0;
            case CLOSED -> true;
            case BUFFER_UNDERFLOW -> false; // a record is not in whole yet: read more
            case BUFFER_OVERFLOW -> throw new SSLException("a TLS record larger than the session allows");
        };
    }

    private void readRecords(Waiter waiter, String doing) throws IOException {
        if (!readRecordsOrEnd(waiter, doing)) {
            throw new EOFException("the server closed the connection while " + doing);
        }
    }

    /** Reads some records from the socket, waiting if none are there; false at the end of the connection. */
    private boolean readRecordsOrEnd(Waiter waiter, String doing) throws IOException {
        while (true) {
            int n = channel.read(netIn);
            if (n > 0) {
                return true;
            }
            if (n < 0) {
                return false;
            }
            waiter.await(SelectionKey.OP_READ, doing);
        }
    }

    private void flush(Waiter waiter, String doing) throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                waiter.await(SelectionKey.OP_WRITE, doing);
            }
        }
    }

    /** The engine's slow steps (checking the certificate chain) run on this thread, as the rest does. */
    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    private static boolean remaining(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}

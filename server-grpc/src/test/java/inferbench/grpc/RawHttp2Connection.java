package inferbench.grpc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client connection written by hand, with just enough of the protocol to do what
 * grpc-java's own client never does: start a call and stop halfway through its message, send
 * garbage, or say nothing at all. It answers the server's SETTINGS and PINGs and keeps to the
 * flow-control windows the server grants, as a patient attacker would; it does not decode the
 * server's headers (HPACK), only notes which streams the server ended.
 */
final class RawHttp2Connection implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PING = 6;
    private static final int GOAWAY = 7;
    private static final int WINDOW_UPDATE = 8;
    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int MAX_FRAME = 16384;
    private static final long WINDOW_WAIT_MS = 10_000;

    private final Socket socket;
    private final DataOutputStream out;
    private final Thread reader;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Streams the server ended (trailers or RST_STREAM). */
    final Set<Integer> endedStreams = ConcurrentHashMap.newKeySet();
    /** Streams the server reset (RST_STREAM), after its trailers or instead of them. */
    final Set<Integer> resetStreams = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> streamWindows = new ConcurrentHashMap<>();
    private long connectionWindow = 65535;
    private long initialStreamWindow = 65535;
    private int nextStreamId = 1;
    private volatile String goAway; // the server's GOAWAY: error code and debug data
    private long pingsAnswered; // guarded by this

    private RawHttp2Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new DataOutputStream(socket.getOutputStream());
        this.reader = new Thread(this::readFrames, "raw-h2-reader");
        reader.setDaemon(true);
    }

    /** Connects and sends nothing at all. */
    static Socket connectSilently(int port) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    /** Connects, sends the HTTP/2 preface and empty SETTINGS, and reads what the server sends. */
    static RawHttp2Connection open(int port) throws IOException {
        return open(connectSilently(port));
    }

    /** The same over TLS, with ALPN "h2" as gRPC needs, to "localhost" (what the test certificates name). */
    static RawHttp2Connection openTls(int port, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return open(socket);
    }

    private static RawHttp2Connection open(Socket socket) throws IOException {
        RawHttp2Connection connection = new RawHttp2Connection(socket);
        connection.out.write(PREFACE); // before anything the reader may answer
        connection.writeFrame(SETTINGS, 0, 0, new byte[0]);
        connection.reader.start();
        return connection;
    }

    /** Sends the headers of a call to {@code method} (such as img.Inference/Predict); returns its stream id. */
    synchronized int startCall(String method) throws IOException {
        int stream = nextStreamId;
        nextStreamId += 2;
        streamWindows.put(stream, initialStreamWindow);
        java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream();
        for (String[] header : new String[][] {{":method", "POST"}, {":scheme", "http"}, {":path", "/" + method},
                {":authority", "localhost"}, {"content-type", "application/grpc"}, {"te", "trailers"}}) {
            block.write(0); // HPACK: a literal header field without indexing, with a new name
            string(block, header[0]);
            string(block, header[1]);
        }
        writeFrame(HEADERS, END_HEADERS, stream, block.toByteArray());
        return stream;
    }

    /**
     * The 5-byte gRPC prefix declaring a message of {@code declaredLength} bytes, then {@code sent}
     * of them; less if the server ends the stream meanwhile.
     */
    void sendPartialMessage(int stream, int declaredLength, int sent) throws IOException, InterruptedException {
        byte[] prefix = {0, (byte) (declaredLength >>> 24), (byte) (declaredLength >>> 16), (byte) (declaredLength >>> 8),
                (byte) declaredLength};
        sendData(stream, prefix, false);
        byte[] chunk = new byte[MAX_FRAME];
        for (int left = sent; left > 0 && !endedStreams.contains(stream); left -= chunk.length) {
            sendData(stream, left >= chunk.length ? chunk : new byte[left], false);
        }
    }

    /** A whole message with its gRPC prefix, and the end of the client's side of the call. */
    void sendMessage(int stream, byte[] message) throws IOException, InterruptedException {
        byte[] framed = new byte[5 + message.length];
        framed[1] = (byte) (message.length >>> 24);
        framed[2] = (byte) (message.length >>> 16);
        framed[3] = (byte) (message.length >>> 8);
        framed[4] = (byte) message.length;
        System.arraycopy(message, 0, framed, 5, message.length);
        for (int offset = 0; offset < framed.length; offset += MAX_FRAME) {
            int length = Math.min(MAX_FRAME, framed.length - offset);
            sendData(stream, java.util.Arrays.copyOfRange(framed, offset, offset + length),
                    offset + length == framed.length);
        }
    }

    /**
     * Sends a PING and waits for its answer: the server has then read everything sent before it
     * on this connection (HTTP/2 frames on a connection are handled in order).
     */
    synchronized void ping() throws IOException, InterruptedException {
        long answersBefore = pingsAnswered;
        writeFrame(PING, 0, 0, new byte[8]);
        long deadline = System.currentTimeMillis() + WINDOW_WAIT_MS;
        while (pingsAnswered == answersBefore) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || isClosed()) {
                throw new IOException("no answer to a PING");
            }
            wait(left);
        }
    }

    synchronized void resetStream(int stream) throws IOException {
        writeFrame(RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8}); // CANCEL
    }

    /**
     * Waits until every one of {@code streams} is in {@code ended} (this connection's
     * {@link #endedStreams} or {@link #resetStreams}): the reader thread records a stream's end
     * some time after the server sent it.
     */
    static boolean awaitAll(Set<Integer> ended, Set<Integer> streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended.containsAll(streams)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Waits until the server closes the connection (after a GOAWAY, or at once). */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** The server's GOAWAY, as "GOAWAY error CODE DEBUG-DATA", or null if none came. */
    String goAway() {
        return goAway;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Sends when the windows allow; nothing if the server ends the stream first. */
    private void sendData(int stream, byte[] payload, boolean endStream) throws IOException, InterruptedException {
        synchronized (this) {
            long deadline = System.currentTimeMillis() + WINDOW_WAIT_MS;
            while (connectionWindow < payload.length || streamWindows.getOrDefault(stream, 0L) < payload.length) {
                if (endedStreams.contains(stream)) {
                    return;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || isClosed()) {
                    throw new IOException("no flow-control window for stream " + stream
                            + (isClosed() ? ": connection closed after " + goAway : ""));
                }
                wait(left);
            }
            connectionWindow -= payload.length;
            streamWindows.merge(stream, (long) -payload.length, Long::sum);
            writeFrame(DATA, endStream ? END_STREAM : 0, stream, payload);
        }
    }

    private void writeFrame(int type, int flags, int stream, byte[] payload) throws IOException {
        out.writeByte(payload.length >>> 16);
        out.writeShort(payload.length & 0xFFFF);
        out.writeByte(type);
        out.writeByte(flags);
        out.writeInt(stream);
        out.write(payload);
        out.flush();
    }

    /** An HPACK string literal, not Huffman-coded; lengths under 127 fit in one byte. */
    private static void string(OutputStream block, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        block.write(bytes.length);
        block.write(bytes);
    }

    private void readFrames() {
        try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
            while (true) {
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7FFFFFFF;
                byte[] payload = new byte[length];
                in.readFully(payload);
                onFrame(type, flags, stream, payload);
            }
        } catch (EOFException | java.net.SocketException ended) {
            // the server closed the connection, or the test did
        } catch (IOException e) {
            // same: nothing more will come
        } finally {
            closed.countDown();
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private synchronized void onFrame(int type, int flags, int stream, byte[] payload) throws IOException {
        switch (type) {
            case DATA, HEADERS -> {
                if ((flags & END_STREAM) != 0) {
                    endedStreams.add(stream);
                }
                if (type == DATA && payload.length > 0) { // give the window back at once: responses are small
                    writeFrame(WINDOW_UPDATE, 0, 0, int32(payload.length));
                    writeFrame(WINDOW_UPDATE, 0, stream, int32(payload.length));
                }
            }
            case RST_STREAM -> {
                endedStreams.add(stream);
                resetStreams.add(stream);
            }
            case SETTINGS -> {
                if ((flags & ACK) == 0) {
                    for (int i = 0; i + 6 <= payload.length; i += 6) {
                        int id = ((payload[i] & 0xFF) << 8) | (payload[i + 1] & 0xFF);
                        long value = readInt(payload, i + 2) & 0xFFFFFFFFL;
                        if (id == 4) { // SETTINGS_INITIAL_WINDOW_SIZE applies to every open stream
                            long delta = value - initialStreamWindow;
                            initialStreamWindow = value;
                            streamWindows.replaceAll((id2, window) -> window + delta);
                        }
                    }
                    writeFrame(SETTINGS, ACK, 0, new byte[0]);
                }
            }
            case PING -> {
                if ((flags & ACK) == 0) {
                    writeFrame(PING, ACK, 0, payload);
                } else {
                    pingsAnswered++;
                }
            }
            case GOAWAY -> goAway = "GOAWAY error " + readInt(payload, 4) + " "
                    + new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
            case WINDOW_UPDATE -> {
                long increment = readInt(payload, 0) & 0x7FFFFFFFL;
                if (stream == 0) {
                    connectionWindow += increment;
                } else {
                    streamWindows.computeIfPresent(stream, (id, window) -> window + increment);
                }
            }
            default -> {
                // PRIORITY, PUSH_PROMISE, CONTINUATION: nothing this client needs
            }
        }
        notifyAll();
    }

    private static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16) | ((bytes[offset + 2] & 0xFF) << 8)
                | (bytes[offset + 3] & 0xFF);
    }

    private static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}

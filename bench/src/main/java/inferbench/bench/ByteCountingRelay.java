package inferbench.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that counts every byte passed each way: whatever the protocol, what
 * it counts is what the client and the server wrote to their sockets (HTTP/1.1 request and
 * status lines and headers, HTTP/2 frames with their HPACK headers, gRPC's message prefixes and
 * trailers), without the TCP/IP headers below them.
 *
 * <p>Each accepted connection gets a connection of its own to the target and two threads, one
 * per direction. A byte is counted before it is passed on, so when the client has a reply,
 * every byte of the exchange has been counted. The relay adds a hop, so it is used for counting only,
 * never while latency is measured.
 */
final class ByteCountingRelay implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    private static final Duration POLL = Duration.ofMillis(1);

    /** Bytes so far: from the client to the server ({@code sent}), and back ({@code received}). */
    record Counts(long sent, long received) {
        Counts minus(Counts before) {
            return new Counts(sent - before.sent, received - before.received);
        }
    }

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "bench-relay");
        thread.setDaemon(true);
        return thread;
    });

    private ByteCountingRelay(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Listens on an ephemeral loopback port and relays every connection to {@code host:port}. */
    static ByteCountingRelay start(String host, int port) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ByteCountingRelay relay = new ByteCountingRelay(listener, new InetSocketAddress(host, port));
        relay.threads.execute(relay::acceptLoop);
        return relay;
    }

    /** The loopback port clients connect to instead of the target's. */
    int port() {
        return listener.getLocalPort();
    }

    Counts counts() {
        return new Counts(sent.get(), received.get());
    }

    /**
     * Waits until no byte has passed for {@code quiet} (at most {@code limit}), so frames a
     * protocol sends after the reply (flow-control updates, pings) count with the call that
     * caused them rather than the next one.
     */
    void awaitQuiet(Duration quiet, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - lastActivityNanos.get() < quiet.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                sockets.add(client);
                sockets.add(server);
                try {
                    server.connect(target, (int) Duration.ofSeconds(5).toMillis());
                } catch (IOException e) {
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                threads.execute(() -> pump(client, server, sent));
                threads.execute(() -> pump(server, client, received));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies one direction until its end, then passes the end on (half-close) to the other side. */
    private void pump(Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                counter.addAndGet(n); // before passing them on: once the other side has them, they are counted
                lastActivityNanos.set(System.nanoTime());
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(ByteCountingRelay::closeQuietly);
        threads.shutdownNow();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}

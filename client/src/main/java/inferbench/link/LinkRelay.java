package inferbench.link;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on loopback that puts an emulated link between its clients and one server: each
 * direction delayed by half the round-trip time, paced at the link's rate (shared by every
 * connection through the relay), in order, with the profile's jitter ({@link DelayLine}).
 *
 * <p>A new connection costs what it costs on the link: the relay connects to the server half a
 * round trip after the client connected (the SYN's way there), and the client's first bytes
 * count as sent one round trip after it connected, when its connect would have returned.
 * Packet loss, TCP's slow start and congestion window, and reordering are not emulated.
 */
public final class LinkRelay implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final LinkProfile profile;
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Bottleneck up;
    private final Bottleneck down;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "link-relay");
        thread.setDaemon(true);
        return thread;
    });

    private LinkRelay(LinkProfile profile, ServerSocket listener, InetSocketAddress target) {
        this.profile = profile;
        this.listener = listener;
        this.target = target;
        this.up = new Bottleneck(profile.upBits());
        this.down = new Bottleneck(profile.downBits());
    }

    /** Listens on an ephemeral loopback port and relays every connection to {@code host:port} over the link. */
    public static LinkRelay start(LinkProfile profile, String host, int port) throws IOException {
        ServerSocket listener = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        LinkRelay relay = new LinkRelay(profile, listener, new InetSocketAddress(host, port));
        relay.threads.execute(relay::acceptLoop);
        return relay;
    }

    /** The loopback port clients connect to instead of the server's. */
    public int port() {
        return listener.getLocalPort();
    }

    public LinkProfile profile() {
        return profile;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                long connectedAt = System.nanoTime();
                sockets.add(client);
                threads.execute(() -> connect(client, connectedAt));
            } catch (IOException | RejectedExecutionException e) {
                return; // closed
            }
        }
    }

    private void connect(Socket client, long connectedAt) {
        long oneWay = profile.rtt().toNanos() / 2;
        Socket server = new Socket();
        sockets.add(server);
        Runnable closeBoth = () -> {
            release(client);
            release(server);
        };
        try {
            for (long wait; (wait = connectedAt + oneWay - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    closeBoth.run(); // the relay is closing
                    return;
                }
            }
            server.connect(target, (int) CONNECT_TIMEOUT.toMillis());
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (IOException e) {
            closeBoth.run(); // the client sees its connection closed, as it would see a refusal
            return;
        }
        AtomicInteger open = new AtomicInteger(2);
        Runnable onEnd = () -> {
            if (open.decrementAndGet() == 0) {
                closeBoth.run();
            }
        };
        long jitter = profile.jitter().toNanos();
        try {
            new DelayLine(client, server, up, oneWay, jitter, connectedAt + profile.rtt().toNanos(), onEnd,
                    closeBoth).start(threads);
            new DelayLine(server, client, down, oneWay, jitter, connectedAt, onEnd, closeBoth).start(threads);
        } catch (RejectedExecutionException e) {
            closeBoth.run(); // the relay closed meanwhile
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        sockets.forEach(this::release);
        threads.shutdownNow();
    }

    private void release(Socket socket) {
        sockets.remove(socket);
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}

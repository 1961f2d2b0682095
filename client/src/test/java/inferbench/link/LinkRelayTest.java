package inferbench.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay with real sockets: its delay and rates are checked as lower bounds (a link can only
 * make things slower), never as tight upper bounds, which a loaded machine would break.
 */
@Timeout(30)
class LinkRelayTest {

    @Test
    void anEchoTakesARoundTripAndANewConnectionsFirstOneAnotherForTheConnect() throws Exception {
        LinkProfile link = LinkProfiles.parse("rtt=50ms");
        try (ServerSocket server = echoServer(); LinkRelay relay = LinkRelay.start(link, "127.0.0.1", server.getLocalPort());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            long first = echo(client, 1);
            long second = echo(client, 2);
            long third = echo(client, 3);

            assertTrue(first >= TimeUnit.MILLISECONDS.toNanos(100), "connect and echo: " + first / 1e6 + " ms");
            assertTrue(second >= TimeUnit.MILLISECONDS.toNanos(50), "echo: " + second / 1e6 + " ms");
            assertTrue(third >= TimeUnit.MILLISECONDS.toNanos(50), "echo: " + third / 1e6 + " ms");
        }
    }

    @Test
    void bytesArriveUnchangedInOrderAndNoFasterThanTheRateWhichConnectionsShare() throws Exception {
        // 2 Mbit/s up: two connections of 60,000 bytes each need 480 ms together.
        LinkProfile link = LinkProfiles.parse("rtt=2ms,up=2mbit,down=100mbit,jitter=1ms");
        byte[] payload = new byte[60_000];
        new Random(7).nextBytes(payload);
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
             LinkRelay relay = LinkRelay.start(link, "127.0.0.1", server.getLocalPort())) {
            List<CompletableFuture<byte[]>> received = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                received.add(CompletableFuture.supplyAsync(() -> readAll(server)));
            }
            long start = System.nanoTime();
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port());
                clients.add(client);
                OutputStream out = client.getOutputStream();
                for (int at = 0; at < payload.length; at += 1000) { // many small writes, as a protocol makes them
                    out.write(payload, at, 1000);
                }
                client.shutdownOutput();
            }
            for (CompletableFuture<byte[]> r : received) {
                assertArrayEquals(payload, r.get(10, TimeUnit.SECONDS));
            }
            long elapsed = System.nanoTime() - start;
            for (Socket client : clients) {
                client.close();
            }
            assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(480), "2 x 60,000 B at 2 Mbit/s: " + elapsed / 1e6
                    + " ms");
        }
    }

    @Test
    void aReceiverThatDoesNotReadStopsTheSenderOnceTheLinkAndTheKernelBuffersAreFull() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             LinkRelay relay = LinkRelay.start(LinkProfiles.parse("rtt=1ms"), "127.0.0.1", server.getLocalPort());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port());
             Socket stalled = server.accept()) {
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                byte[] block = new byte[64 * 1024];
                try {
                    OutputStream out = client.getOutputStream();
                    while (written.get() < 256L << 20) {
                        out.write(block);
                        written.addAndGet(block.length);
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            writer.setDaemon(true);
            writer.start();
            long last;
            do { // until the writes stop making progress
                last = written.get();
                Thread.sleep(300);
            } while (written.get() != last);

            assertTrue(writer.isAlive() && last < 64L << 20, "the sender was let write " + last + " bytes");
            assertTrue(last > DelayLine.MAX_HELD, "the relay holds its buffer first: " + last);
        }
    }

    /** An echo server for one connection: every byte it reads, it writes back. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        CompletableFuture.runAsync(() -> {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (int b; (b = in.read()) >= 0; ) {
                    out.write(b);
                }
            } catch (IOException e) {
                // the test is over
            }
        });
        return server;
    }

    private static long echo(Socket client, int value) throws IOException {
        long start = System.nanoTime();
        client.getOutputStream().write(value);
        assertEquals(value, new DataInputStream(client.getInputStream()).readUnsignedByte());
        return System.nanoTime() - start;
    }

    private static byte[] readAll(ServerSocket server) {
        try (Socket socket = server.accept()) {
            return socket.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

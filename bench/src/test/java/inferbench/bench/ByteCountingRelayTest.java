package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ByteCountingRelayTest {

    @Test
    void countsExactlyTheBytesEachWayAndPassesThemOnUnchanged() throws Exception {
        byte[] request = random(300_001, 1);
        byte[] reply = random(1_234, 2);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ByteCountingRelay relay = ByteCountingRelay.start("127.0.0.1", server.getLocalPort())) {
            // The server reads the whole request (the client half-closes after it), then replies and closes.
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = server.accept()) {
                    byte[] all = socket.getInputStream().readAllBytes();
                    socket.getOutputStream().write(reply);
                    return all;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] answer;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
                OutputStream out = client.getOutputStream();
                out.write(request);
                client.shutdownOutput();
                InputStream in = client.getInputStream();
                answer = in.readAllBytes();
            }
            relay.awaitQuiet(Duration.ofMillis(5), Duration.ofSeconds(1));

            assertArrayEquals(request, received.get(10, TimeUnit.SECONDS));
            assertArrayEquals(reply, answer);
            assertEquals(new ByteCountingRelay.Counts(request.length, reply.length), relay.counts());
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

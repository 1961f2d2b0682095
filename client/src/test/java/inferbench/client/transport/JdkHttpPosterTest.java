package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK client's reply limit, against scripted servers on loopback: a body declared or sent
 * over {@link HttpPoster#MAX_REPLY_BYTES} fails the request instead of being collected.
 */
@Timeout(20)
class JdkHttpPosterTest {
    private final JdkHttpPoster poster = new JdkHttpPoster(Transport.DEFAULT_TIMEOUT, null);
    private ScriptedHttpServer server;

    private interface Script {
        void run(InputStream in, OutputStream out) throws Exception;
    }

    private URI serve(Script script) throws IOException {
        server = new ScriptedHttpServer(socket -> {
            socket.setSoTimeout(10_000);
            script.run(socket.getInputStream(), socket.getOutputStream());
        });
        return URI.create("http://127.0.0.1:" + server.port() + "/predict");
    }

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static void readRequest(InputStream in) throws IOException {
        ScriptedHttpServer.readRequest(in, 3);
    }

    private static void write(OutputStream out, String text) throws IOException {
        ScriptedHttpServer.write(out, text);
    }

    @Test
    void readsAReplyWithinTheLimit() throws Exception {
        URI url = serve((in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            in.read();
        });
        HttpPoster.Answer answer = poster.post(url, "image/jpeg", new byte[3]);
        assertEquals(200, answer.status());
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), answer.body());
    }

    @Test
    void refusesADeclaredBodyOverTheLimitBeforeReadingIt() throws Exception {
        URI url = serve((in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 9000000000\r\n\r\n");
            in.read(); // sends no body: only the declared length can fail the request in time
        });
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> poster.post(url, "image/jpeg", new byte[3]));
        assertTrue(e.getMessage().contains("over the " + HttpPoster.MAX_REPLY_BYTES + " byte limit"), e.getMessage());
        assertTrue(System.nanoTime() - start < Transport.DEFAULT_TIMEOUT.toNanos(),
                "refused at once, not at the timeout");
    }

    @Test
    void refusesAChunkedBodyOnceItGrowsOverTheLimit() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        URI url = serve((in, out) -> {
            readRequest(in);
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 4 * HttpPoster.MAX_REPLY_BYTES / chunk.length; i++) { // bounded: 4x the limit
                write(out, Integer.toHexString(chunk.length) + "\r\n");
                out.write(chunk);
                write(out, "\r\n");
            }
        });
        IOException e = assertThrows(IOException.class, () -> poster.post(url, "image/jpeg", new byte[3]));
        assertTrue(e.getMessage().contains("over the " + HttpPoster.MAX_REPLY_BYTES + " byte limit"), e.getMessage());
    }
}

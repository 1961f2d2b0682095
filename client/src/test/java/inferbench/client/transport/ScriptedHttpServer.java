package inferbench.client.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on loopback that answers each connection it accepts, one at a time, with a script:
 * for the replies the real REST server never sends but a proxy or another server may. The
 * client's and the benchmark's HTTP client tests share it.
 */
public final class ScriptedHttpServer implements AutoCloseable {
    /** What the server does with each connection it accepts. */
    public interface Script {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    public ScriptedHttpServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    script.run(socket);
                } catch (Exception e) {
                    // the test has ended, or the client went away: the next connection may come
                }
            }
        }, "scripted-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many connections it has accepted. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** Reads one request's head, then its body of {@code bodyBytes} (the tests' requests declare their length). */
    public static void readRequest(InputStream in, int bodyBytes) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client went away");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        in.readNBytes(bodyBytes);
    }

    public static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}

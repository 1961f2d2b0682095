package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The time limit of the client's transports, against servers that take a request and never
 * finish answering it. The limit is 1 s here (the client's --timeout; 5 s unless given): long
 * enough for a cold channel's first call to reach the server, so the test also sees the server
 * learn that the call was given up. (The benchmark's tuned variants: TunedTransportsTest and
 * HttpConnectionTest.) The cases run at once.
 */
@Timeout(30)
class TimeLimitTest {
    private static final byte[] FRAME = {1, 2, 3};
    private static final Duration LIMIT = Duration.ofSeconds(1);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void everyTransportGivesUpAfterTheLimitAndTheServerLearnsOfIt() throws Exception {
        SilentGrpcServer silent = SilentGrpcServer.start(1);
        toClose.add(silent);
        String grpcTarget = silent.target();
        CountDownLatch restEnded = new CountDownLatch(1);
        int neverAnswers = scriptedServer(socket -> readRequest(socket.getInputStream()), null);
        int stallsTheBody = scriptedServer(socket -> {
            readRequest(socket.getInputStream());
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"status\""
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }, restEnded);

        Map<String, Transport> cases = new LinkedHashMap<>();
        cases.put("gRPC unary, deadline", new GrpcUnaryTransport(grpcTarget, LIMIT));
        cases.put("REST (JDK), no answer", new RestTransport(URI.create("http://127.0.0.1:" + neverAnswers + "/predict"),
                RestTransport.Body.RAW_JPEG, LIMIT));
        cases.put("REST (JDK), body stalls", new RestTransport(URI.create("http://127.0.0.1:" + stallsTheBody
                + "/predict"), RestTransport.Body.RAW_JPEG, LIMIT));
        toClose.addAll(cases.values());
        Map<String, Future<Throwable>> outcomes = new LinkedHashMap<>();
        long start = System.nanoTime();
        cases.forEach((name, transport) -> outcomes.put(name, pool.submit(() -> {
            try {
                transport.send(FRAME, false);
                return null;
            } catch (Throwable e) {
                return e;
            }
        })));

        for (Map.Entry<String, Future<Throwable>> outcome : outcomes.entrySet()) {
            Throwable e = outcome.getValue().get(20, TimeUnit.SECONDS);
            assertTrue(e instanceof TimeoutException, outcome.getKey() + ": " + e);
            assertTrue(e.getMessage().contains("no answer within 1 s"), outcome.getKey() + ": " + e.getMessage());
        }
        assertTrue(System.nanoTime() - start >= LIMIT.toNanos(), "gave up before the limit");
        assertTrue(silent.calls.await(0, TimeUnit.SECONDS), "the call reached the gRPC server");
        assertTrue(silent.cancels.await(5, TimeUnit.SECONDS), "the gRPC server saw the call end");
        assertTrue(restEnded.await(5, TimeUnit.SECONDS), "the REST client closed the stalled connection");
    }

    /** What a scripted server does with one connection before it waits for the client to go away. */
    private interface Script {
        void run(Socket socket) throws Exception;
    }

    /** A server that runs the script on each connection, then reads until the client closes it. */
    private int scriptedServer(Script script, CountDownLatch clientClosed) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        toClose.add(server);
        pool.submit(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(15_000); // a client that never closes must not hold this thread for ever
                    script.run(socket);
                    while (socket.getInputStream().read() >= 0) {
                        // the client sends nothing more; wait for it to close
                    }
                    if (clientClosed != null) {
                        clientClosed.countDown();
                    }
                } catch (Exception e) {
                    // a reset counts as closed too
                    if (clientClosed != null) {
                        clientClosed.countDown();
                    }
                }
            }
            return null;
        });
        return server.getLocalPort();
    }

    /** Reads a request's head and its 3-byte body, as the tests send. */
    private static void readRequest(InputStream in) throws Exception {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("client went away");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        assertEquals(3, in.readNBytes(3).length);
    }
}

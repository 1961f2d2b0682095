package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and stalled clients cost a connection thread each, for the length of their deadlines,
 * never a detection worker: the server goes on answering everyone else meanwhile.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientsTest {
    private static final int SLOW_BODIES = 200;
    private static final int HALF_HEADERS = 50;

    @Test
    void answersNormalRequestsWhile250StalledClientsHangThenClosesThemAtTheirDeadlines(@TempDir Path storage)
            throws Exception {
        byte[] small = TestServer.smallJpeg();
        // deadlines longer than the normal requests below take (small frames, a few ms each), so
        // those run while every stalled client hangs
        try (TestServer server = TestServer.start(storage, "--header-timeout", "1", "--body-timeout", "1")) {
            for (int i = 0; i < 3; i++) { // the first requests of a JVM pay for class loading and the JIT
                assertEquals(200, server.post("/predict", "image/jpeg", small).statusCode());
            }
            List<RawHttp> halfHeaders = new ArrayList<>();
            List<RawHttp> slowBodies = new ArrayList<>();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                for (int i = 0; i < HALF_HEADERS; i++) {
                    halfHeaders.add(new RawHttp(server.port()).send("POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"));
                }
                for (int i = 0; i < SLOW_BODIES; i++) {
                    slowBodies.add(new RawHttp(server.port()).send(RawHttp.request("POST", "/predict", null,
                            "Content-Type: image/jpeg", "Content-Length: " + small.length)));
                }
                trickle.scheduleAtFixedRate(() -> sendOneByteEach(slowBodies), 0, 200, TimeUnit.MILLISECONDS);

                for (int i = 0; i < 10; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = server.post("/predict", "image/jpeg", small);
                    assertEquals(200, response.statusCode(), response.body());
                    assertEquals("NO_DETECTION", TestServer.json(response).get("status"));
                    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "request " + i + " took "
                            + (System.nanoTime() - start) / 1_000_000 + " ms");
                }
                assertEquals(200, server.get("/healthz").statusCode());

                for (RawHttp slow : slowBodies) {
                    RawHttp.Response timedOut = slow.within(Duration.ofSeconds(10)).read();
                    assertEquals(408, timedOut.status(), timedOut.body());
                    assertEquals("request body not received within 1 s", timedOut.json().get("detail"));
                    assertEquals("close", timedOut.header("Connection"));
                    assertTrue(slow.closedByServer());
                }
                for (RawHttp half : halfHeaders) {
                    assertTrue(half.closedByServerWithin(Duration.ofSeconds(10)));
                }
            } finally {
                trickle.shutdownNow();
                for (RawHttp connection : halfHeaders) {
                    connection.close();
                }
                for (RawHttp connection : slowBodies) {
                    connection.close();
                }
            }
        }
    }

    /**
     * Clients that send request after request and read no reply: once their socket buffers are
     * full, the reply being written blocks, on a connection thread. Their requests are /predict
     * requests, each of which takes the worker (the JPEG is checked there, and refused at once:
     * a few thousand of them fill the buffers in a moment), so a reply written from a worker would
     * hold it; but a worker never writes, so the one worker of this server goes on detecting for
     * everyone else.
     */
    @Test
    void clientsThatDoNotReadTheirRepliesHoldNoWorker(@TempDir Path storage) throws Exception {
        byte[] small = TestServer.smallJpeg();
        byte[] predict = RawHttp.request("POST", "/predict", Forms.text("not a JPEG"), "Content-Type: image/jpeg");
        try (TestServer server = TestServer.start(storage, "--workers", "1", "--queue", "1")) {
            List<Socket> deaf = new ArrayList<>();
            List<AtomicLong> sent = new ArrayList<>();
            ExecutorService floods = Executors.newCachedThreadPool();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket socket = new Socket();
                    socket.setReceiveBufferSize(4096); // a small window: the server's writes block sooner
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
                    deaf.add(socket);
                    AtomicLong bytes = new AtomicLong();
                    sent.add(bytes);
                    floods.submit(() -> {
                        try {
                            while (true) {
                                socket.getOutputStream().write(predict);
                                bytes.addAndGet(predict.length);
                            }
                        } catch (IOException closed) {
                            return null;
                        }
                    });
                }
                // until both clients' threads are stuck writing replies nobody reads: found in a
                // socket write twice, 0.3 s apart, with nothing sent meanwhile
                for (Set<String> stuck = Set.of(); stuck.size() < 2; ) {
                    Set<String> writing = writingToSockets();
                    long before = total(sent);
                    Thread.sleep(300);
                    stuck = total(sent) == before && writingToSockets().equals(writing) ? writing : Set.of();
                }
                for (int i = 0; i < 3; i++) {
                    long start = System.nanoTime();
                    assertEquals(200, server.post("/predict", "image/jpeg", small).statusCode());
                    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "a detection waited");
                }
            } finally {
                for (Socket socket : deaf) {
                    socket.close();
                }
                floods.shutdownNow();
            }
        }
    }

    /** The server's threads blocked writing to a socket, by name. */
    private static Set<String> writingToSockets() {
        Set<String> writing = new HashSet<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().equals("sun.nio.ch.SocketChannelImpl") && frame.getMethodName().equals("write")
                        && thread.getName().startsWith("rest-")) {
                    writing.add(thread.getName());
                }
            }
        });
        return writing;
    }

    private static long total(List<AtomicLong> counters) {
        return counters.stream().mapToLong(AtomicLong::get).sum();
    }

    private static void sendOneByteEach(List<RawHttp> connections) {
        for (RawHttp connection : connections) {
            try {
                connection.send(new byte[] {(byte) 0xFF});
            } catch (IOException closedByTheServer) {
                // its deadline has passed
            }
        }
    }
}

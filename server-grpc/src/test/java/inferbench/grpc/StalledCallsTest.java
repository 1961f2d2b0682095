package inferbench.grpc;

import static inferbench.grpc.PredictTest.jpeg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import inferbench.proto.Image;
import inferbench.proto.InferenceGrpc;
import inferbench.samples.SampleFrames;
import inferbench.server.RequestLimits;
import inferbench.server.ServerMain;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 256 calls that send their headers and part of a large message, then stall, spread over 16
 * connections as an attacker would. The server process (a JVM of its own, so its resident memory
 * can be measured) stays within the memory bound of its settings, answers normal calls meanwhile,
 * ends every stalled call at the deadline, closes the connections once quiet, and still stops
 * with exit status 0 while a stalled call is open.
 *
 * <p>Sizes are scaled down from the defaults (1 MiB messages, 8 MiB of message memory instead of
 * 16 and 64) so the attack takes a second; the bound is the same formula. The server's heap is
 * fixed and touched in advance, so what grows is what the calls hold.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StalledCallsTest {
    private static final int CONNECTIONS = 16;
    private static final int CALLS_PER_CONNECTION = 16;
    private static final int MESSAGE_BYTES = 1024 * 1024;
    private static final int SENT_BYTES = 256 * 1024;
    private static final long MESSAGE_MEMORY = 8L * 1024 * 1024;
    /** The server's HTTP/2 flow-control window: its default. */
    private static final int WINDOW = RequestLimits.DEFAULT_FLOW_WINDOW;
    /**
     * The stated bound on what unfinished calls hold, for these settings: the message memory, and
     * on each connection about a window that has arrived and is not counted yet (a call the
     * server has ended goes on taking what its client sends until its stream is reset), both
     * twice, as Netty holds bytes in the buffers it read them into, up to twice their size; a few
     * kB per call; and the code and pool chunks the attack's paths add once.
     */
    private static final long BOUND = 2 * (MESSAGE_MEMORY + (long) CONNECTIONS * WINDOW)
            + CONNECTIONS * CALLS_PER_CONNECTION * 8 * 1024 + (24L << 20);

    /** A fixed heap, touched at start, so it does not grow under the test; C1 only, to start quickly. */
    private static final List<String> SERVER_JVM = List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch",
            "-XX:TieredStopAtLevel=1");

    @Test
    void stalledCallsStayWithinTheMemoryBoundAndEndAtTheDeadline(@TempDir Path storage) throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "measures resident memory through /proc (Linux)");
        try (ChildServer server = ChildServer.start(storage, SERVER_JVM,
                "--workers", "1", "--max-body", String.valueOf(MESSAGE_BYTES),
                "--message-memory", String.valueOf(MESSAGE_MEMORY), "--body-timeout", "0.5", "--idle-timeout", "1")) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port,
                    InsecureChannelCredentials.create()).build();
            Image frame = jpeg(PredictStreamTest.small(SampleFrames.faceFrame(1280, 720)));
            try {
                for (int i = 0; i < 3; i++) {
                    predict(channel, frame); // warm: the first calls load classes and fill caches
                }
                long before = server.rssBytes();
                long during;
                try (PeakRss peak = new PeakRss(server)) {
                    List<RawHttp2Connection> attackers = stall(server.port);
                    for (int i = 0; i < 3; i++) {
                        long start = System.nanoTime();
                        assertEquals("OK", predict(channel, frame).getStatus());
                        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5),
                                "answered while the attack hangs");
                    }
                    during = peak.bytes();
                    for (RawHttp2Connection attacker : attackers) {
                        assertTrue(attacker.awaitClosed(Duration.ofSeconds(10)),
                                "closed once its calls ended and it went quiet");
                        assertEquals("GOAWAY error 0 max_idle", attacker.goAway(),
                                "closed for --idle-timeout, with a GOAWAY (NO_ERROR) first");
                        assertEquals(CALLS_PER_CONNECTION, attacker.resetStreams.size(),
                                "every stalled call ended and reset");
                        attacker.close();
                    }
                }
                System.out.printf(Locale.ROOT, "256 stalled calls: server RSS +%.1f MB at most (bound %.1f MB)%n",
                        (during - before) / 1e6, BOUND / 1e6);
                assertTrue(during - before < BOUND, "RSS grew by " + (during - before) + " bytes, bound " + BOUND);

                RawHttp2Connection last = RawHttp2Connection.open(server.port);
                last.sendPartialMessage(last.startCall("img.Inference/Predict"), MESSAGE_BYTES, SENT_BYTES);
                last.ping();
                assertEquals(ServerMain.EXIT_OK, server.stop(10), "a stalled call is not waited for");
                last.close();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static inferbench.proto.Detection predict(ManagedChannel channel, Image image) {
        return InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(TestServer.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .predict(image);
    }

    /** The server's resident set, sampled every 10 ms while open: its peak. */
    private static final class PeakRss implements AutoCloseable {
        private final Thread sampler;
        private volatile long peak;

        PeakRss(ChildServer server) throws Exception {
            peak = server.rssBytes();
            sampler = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak = Math.max(peak, server.rssBytes());
                        Thread.sleep(10);
                    }
                } catch (Exception stopped) {
                    // interrupted, or the process is gone
                }
            }, "rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        long bytes() {
            return peak;
        }

        @Override
        public void close() throws InterruptedException {
            sampler.interrupt();
            sampler.join(1000);
        }
    }

    /**
     * Opens the connections and, on each, the calls that send part of their message and stall;
     * all connections at once, as many attackers would (and each waits on its own flow-control
     * window, not on the others').
     */
    private static List<RawHttp2Connection> stall(int port) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<RawHttp2Connection>> opening = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                opening.add(threads.submit(() -> {
                    RawHttp2Connection attacker = RawHttp2Connection.open(port);
                    for (int i = 0; i < CALLS_PER_CONNECTION; i++) {
                        attacker.sendPartialMessage(attacker.startCall("img.Inference/Predict"), MESSAGE_BYTES,
                                SENT_BYTES);
                    }
                    attacker.ping(); // the server has read everything sent (its calls may end, and it close, soon after)
                    return attacker;
                }));
            }
            List<RawHttp2Connection> attackers = new ArrayList<>();
            for (Future<RawHttp2Connection> attacker : opening) {
                attackers.add(attacker.get(30, TimeUnit.SECONDS));
            }
            return attackers;
        } finally {
            threads.shutdownNow();
        }
    }
}

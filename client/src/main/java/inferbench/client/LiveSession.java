package inferbench.client;

import inferbench.client.source.FrameSource;
import inferbench.client.transport.Transport;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running client without its window: a capture thread that reads frames at a steady rate
 * into {@link LatestFrame}, and one {@link ProtocolWorker} thread per protocol. The window,
 * the screenshot mode and the tests all drive it the same way.
 *
 * <p>The capture first reads one warm-up frame (frame 0), with which every worker makes its
 * uncounted warm-up calls, and starts its steady rate at frame 1 once they are done, so the
 * frame limit and the statistics cover measured frames only.
 */
public final class LiveSession implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveSession.class.getName());

    private final FrameSource source;
    private final List<Transport> transports;
    private final Controls controls;
    private final int fps;
    private final int jpegQuality;
    private final boolean centreOnly;
    private final String sending;
    private final LatestFrame frames = new LatestFrame();
    private final PanelState rest;
    private final PanelState grpc;
    private final Thread capture;
    private final List<Thread> workers;
    private final CountDownLatch warmedUp = new CountDownLatch(2);
    private volatile String sourceProblem = "";
    private volatile long captured;
    private boolean closed;

    /**
     * @param restTarget and {@code grpcTarget}: the addresses shown on the panels
     * @param centreOnly send only each frame's centre square
     * @param link       the emulated link's description, or "" when the servers are reached directly
     * @param frameLimit stop capturing after this many frames; 0 for no limit
     */
    public LiveSession(FrameSource source, Transport restTransport, String restTarget, Transport grpcTransport,
                       String grpcTarget, Controls controls, int fps, int jpegQuality, boolean centreOnly,
                       String link, long frameLimit) {
        this.source = source;
        this.transports = List.of(restTransport, grpcTransport);
        this.controls = controls;
        this.fps = fps;
        this.jpegQuality = jpegQuality;
        this.centreOnly = centreOnly;
        this.sending = (centreOnly ? "the centre square of each frame to both" : "same frames to both")
                + (link.isEmpty() ? "" : ", over " + link);
        this.rest = new PanelState(restTransport.name(), restTarget);
        this.grpc = new PanelState(grpcTransport.name(), grpcTarget);
        this.capture = new Thread(() -> captureLoop(frameLimit), "capture");
        this.workers = List.of(
                new Thread(new ProtocolWorker(restTransport, rest, frames, controls, Controls.Mode::rest, warmedUp),
                        "rest-worker"),
                new Thread(new ProtocolWorker(grpcTransport, grpc, frames, controls, Controls.Mode::grpc, warmedUp),
                        "grpc-worker"));
    }

    public void start() {
        capture.setDaemon(true);
        capture.start();
        for (Thread worker : workers) {
            worker.setDaemon(true); // a worker stuck in native code must not keep the JVM alive
            worker.start();
        }
    }

    public Controls controls() {
        return controls;
    }

    /** Zeroes both panels' metrics (the r key). */
    public void resetMetrics() {
        rest.reset();
        grpc.reset();
    }

    public WindowView view() {
        String problem = sourceProblem;
        Controls.Mode mode = controls.mode();
        boolean save = controls.save();
        return new WindowView(problem.isEmpty() ? source.description() : source.description() + ": " + problem,
                sending, mode, save, rest.view(mode.rest(), save), grpc.view(mode.grpc(), save));
    }

    /**
     * Waits until capture has stopped (frame limit reached, or the source failed) and each
     * enabled protocol has dealt with the last frame: answered, failed or timed out. The time
     * should allow for the warm-up: up to {@link ProtocolWorker#WARM_UP_LIMIT} and one call more.
     */
    public boolean awaitLastFrame(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        capture.join(timeoutMillis);
        if (capture.isAlive()) {
            return false;
        }
        long last = captured;
        for (PanelState panel : List.of(rest, grpc)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (!panel.awaitTried(last, Math.max(1, left))) {
                return false;
            }
        }
        return true;
    }

    /** Stops the threads, then closes the transports and the source; safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        capture.interrupt();
        frames.close();
        workers.forEach(Thread::interrupt);
        try {
            capture.join(2000);
            for (int i = 0; i < workers.size(); i++) {
                workers.get(i).join(transports.get(i).timeout().toMillis()); // a call in flight ends by then
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transports.forEach(Transport::close);
        if (!capture.isAlive()) {
            source.close(); // never under a thread that may still be reading from it
        }
    }

    /** Reads frames at the requested rate, after the warm-up; a camera slower than that sets its own pace. */
    private void captureLoop(long frameLimit) {
        long period = 1_000_000_000L / fps;
        try {
            frames.publish(new Frame(0, source.next(), jpegQuality, centreOnly));
            warmedUp.await(); // each worker's warm-up has a time limit, and ends when the session closes
            long next = System.nanoTime();
            for (long id = 1; frameLimit == 0 || id <= frameLimit; id++) {
                frames.publish(new Frame(id, source.next(), jpegQuality, centreOnly));
                captured = id;
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else if (-wait > period) {
                    next = System.nanoTime(); // fell behind: do not burst to catch up
                }
            }
        } catch (InterruptedException e) {
            // closing
        } catch (Exception e) {
            sourceProblem = "stopped: " + e.getMessage();
            LOG.log(Level.WARNING, "capture from " + source.description() + " stopped", e);
        }
    }
}

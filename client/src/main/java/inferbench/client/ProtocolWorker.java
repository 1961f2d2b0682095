package inferbench.client;

import inferbench.client.transport.NotOfferedException;
import inferbench.client.transport.Reply;
import inferbench.client.transport.Transport;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The loop that sends frames to one protocol, one request at a time, as the original client's
 * worker threads do: take the newest frame not sent yet, send it, record the answer.
 *
 * <p>Before the first measured frame it warms up: a few calls with the warm-up frame (frame 0),
 * not counted, so the connection is open and both ends have loaded and compiled their code
 * before anything is measured. Then it lets the session's capture begin.
 *
 * <p>A failure is shown on the panel and the loop goes on after a short pause, so a server
 * that is down costs two attempts a second rather than a busy loop, and is used again as soon
 * as it is back. A server that does not offer the call at all is different: sending again
 * cannot help, so the panel says what to do instead and no more frames go to it.
 */
final class ProtocolWorker implements Runnable {
    static final long RETRY_PAUSE_MS = 500;
    /**
     * The first call is the slow one (it connects, and both ends load their code); the next few
     * let the JIT begin on the hot paths. Each costs one frame's work on the server.
     */
    static final int WARM_UP_CALLS = 5;
    /** No warm-up call starts after this, so the capture never waits long for a slow or absent server. */
    static final Duration WARM_UP_LIMIT = Duration.ofSeconds(10);

    private final Transport transport;
    private final PanelState panel;
    private final LatestFrame frames;
    private final Controls controls;
    private final Predicate<Controls.Mode> enabled;
    private final CountDownLatch warmedUp;
    private boolean stopped;

    /** @param warmedUp counted down once this worker's warm-up is over, however it ended */
    ProtocolWorker(Transport transport, PanelState panel, LatestFrame frames, Controls controls,
                   Predicate<Controls.Mode> enabled, CountDownLatch warmedUp) {
        this.transport = transport;
        this.panel = panel;
        this.frames = frames;
        this.controls = controls;
        this.enabled = enabled;
        this.warmedUp = warmedUp;
    }

    @Override
    public void run() {
        long lastId = 0;
        try {
            try {
                Frame warmUpFrame = frames.awaitNewerThan(-1);
                if (warmUpFrame == null) {
                    return; // closed before capture began
                }
                warmUp(warmUpFrame);
                lastId = warmUpFrame.id();
            } finally {
                warmedUp.countDown();
            }
            while (true) {
                Frame frame = frames.awaitNewerThan(lastId);
                if (frame == null) {
                    return; // capture is over
                }
                lastId = frame.id();
                if (stopped || !enabled.test(controls.mode())) {
                    panel.skipped(frame);
                    continue;
                }
                if (!sendAndRecord(frame) && !stopped) {
                    Thread.sleep(RETRY_PAUSE_MS);
                }
            }
        } catch (InterruptedException e) {
            // the session is closing
        }
    }

    /**
     * Uncounted calls with the warm-up frame, never saved, whatever their outcome (a server that
     * is down fails them at once; a cold one may need a second try), until the time limit. A
     * server that does not offer the call ends them, and the worker stops.
     */
    private void warmUp(Frame frame) throws InterruptedException {
        panel.warmingUp(true);
        long deadline = System.nanoTime() + WARM_UP_LIMIT.toNanos();
        byte[] jpeg = frame.jpeg();
        try {
            for (int i = 0; i < WARM_UP_CALLS && System.nanoTime() < deadline; i++) {
                long start = System.nanoTime();
                try {
                    Reply reply = transport.send(jpeg, false);
                    panel.warmUpAnswered(frame, reply, (System.nanoTime() - start) / 1e6);
                } catch (InterruptedException e) {
                    throw e;
                } catch (NotOfferedException e) {
                    stopped = true;
                    panel.stopped(frame, describe(e, transport.timeout()));
                    return;
                } catch (Exception e) {
                    panel.warmUpFailed(frame, describe(e, transport.timeout()));
                }
            }
        } finally {
            panel.warmingUp(false);
        }
    }

    private boolean sendAndRecord(Frame frame) throws InterruptedException {
        boolean save = controls.save();
        byte[] jpeg = frame.jpeg();
        long start = System.nanoTime();
        try {
            Reply reply = transport.send(jpeg, save);
            long end = System.nanoTime();
            panel.answered(frame, reply, (end - start) / 1e6, end);
            return reply.ok();
        } catch (InterruptedException e) {
            throw e;
        } catch (NotOfferedException e) {
            stopped = true;
            panel.stopped(frame, describe(e, transport.timeout()));
            return false;
        } catch (Exception e) {
            panel.failed(frame, describe(e, transport.timeout()));
            return false;
        }
    }

    /** Short words for the status line; some JDK exceptions carry no message at all. */
    static String describe(Exception e, Duration timeout) {
        if (e instanceof NotOfferedException notOffered) {
            return notOffered.getMessage() + ": " + whatToDo(notOffered.call());
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) { // grpc-java wraps it in UNAVAILABLE: io exception
                return "cannot connect (server down?)";
            }
        }
        if (e instanceof SocketTimeoutException || e instanceof TimeoutException) {
            return Transport.noAnswerWithin(timeout);
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** The client's own option that gets around a call the server does not offer. */
    private static String whatToDo(String call) {
        return switch (call) {
            case "PredictStream" -> "use --grpc-mode unary";
            case "Predict" -> "is --grpc the address of an inferbench gRPC server?";
            case NotOfferedException.GRPC -> "give --grpc the gRPC server's address, such as localhost:50051";
            default -> "give --rest the server's address, such as http://localhost:8001";
        };
    }
}

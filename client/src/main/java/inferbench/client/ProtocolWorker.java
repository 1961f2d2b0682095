package inferbench.client;

import inferbench.client.transport.Reply;
import inferbench.client.transport.Transport;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The loop that sends frames to one protocol, one request at a time, as the original client's
 * worker threads do: take the newest frame not sent yet, send it, record the answer.
 *
 * <p>A failure is shown on the panel and the loop goes on after a short pause, so a server
 * that is down costs two attempts a second rather than a busy loop, and is used again as soon
 * as it is back.
 */
final class ProtocolWorker implements Runnable {
    static final long RETRY_PAUSE_MS = 500;

    private final Transport transport;
    private final PanelState panel;
    private final LatestFrame frames;
    private final Controls controls;
    private final Predicate<Controls.Mode> enabled;

    ProtocolWorker(Transport transport, PanelState panel, LatestFrame frames, Controls controls,
                   Predicate<Controls.Mode> enabled) {
        this.transport = transport;
        this.panel = panel;
        this.frames = frames;
        this.controls = controls;
        this.enabled = enabled;
    }

    @Override
    public void run() {
        long lastId = 0;
        try {
            while (true) {
                Frame frame = frames.awaitNewerThan(lastId);
                if (frame == null) {
                    return; // capture is over
                }
                lastId = frame.id();
                if (!enabled.test(controls.mode())) {
                    panel.skipped(frame);
                    continue;
                }
                if (!sendAndRecord(frame)) {
                    Thread.sleep(RETRY_PAUSE_MS);
                }
            }
        } catch (InterruptedException e) {
            // the session is closing
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
        } catch (Exception e) {
            panel.failed(frame, describe(e));
            return false;
        }
    }

    /** Short words for the status line; some JDK exceptions carry no message at all. */
    static String describe(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) { // grpc-java wraps it in UNAVAILABLE: io exception
                return "cannot connect (server down?)";
            }
        }
        if (e instanceof SocketTimeoutException || e instanceof TimeoutException) {
            return "no answer within " + Transport.TIMEOUT.toSeconds() + " s";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}

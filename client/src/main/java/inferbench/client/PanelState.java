package inferbench.client;

import inferbench.client.transport.Reply;

/**
 * One protocol's side of the window, shared by its worker (which writes) and the window (which
 * reads a {@link PanelView} copy). Every method is synchronized: the state is a handful of
 * references and counters, so the lock is held for microseconds.
 */
public final class PanelState {
    private final String protocol;
    private final String target;
    private final LatencyMetrics metrics = new LatencyMetrics();
    private Frame frame; // the frame the last answer is for
    private Frame unanswered; // the last frame that got no answer
    private Reply reply;
    private String error = "";
    private long lastTriedId;

    public PanelState(String protocol, String target) {
        this.protocol = protocol;
        this.target = target;
    }

    /** The server answered; a refusal counts as an error, not as a latency. */
    public synchronized void answered(Frame sent, Reply answer, double endToEndMs, long answeredAtNanos) {
        frame = sent;
        reply = answer;
        if (answer.ok()) {
            error = "";
            metrics.record(endToEndMs, answeredAtNanos);
        } else {
            error = answer.error();
            metrics.recordError();
        }
        tried(sent.id());
    }

    /** No answer came (server down, timeout); the last answered picture stays on screen. */
    public synchronized void failed(Frame sent, String why) {
        unanswered = sent;
        error = why;
        metrics.recordError();
        tried(sent.id());
    }

    /** The frame was not sent because this protocol is switched off. */
    public synchronized void skipped(Frame frame) {
        tried(frame.id());
    }

    public synchronized void reset() {
        metrics.reset();
    }

    /** Waits until the worker has dealt with frame {@code id} (or a later one); false on timeout. */
    public synchronized boolean awaitTried(long id, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (lastTriedId < id) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Before any answer, the picture is the frame that failed, so the window never stays black. */
    public synchronized PanelView view(boolean enabled, boolean save) {
        Frame shown = frame != null ? frame : unanswered;
        return new PanelView(protocol, target, enabled, shown == null ? null : shown.image(),
                shown == null ? 0 : shown.id(), reply, error, save, metrics.snapshot());
    }

    private void tried(long id) {
        lastTriedId = Math.max(lastTriedId, id);
        notifyAll();
    }
}

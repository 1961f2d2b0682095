package inferbench.client;

import inferbench.client.transport.Reply;

/**
 * One protocol's side of the window, shared by its worker (which writes) and the window (which
 * reads a {@link PanelView} copy). Every method is synchronized: the state is a handful of
 * references and counters, so the lock is held for microseconds.
 *
 * <p>The first call to a server is slower than all the others by far (it connects, and both
 * ends load and compile their code), so it is kept out of the running statistics and shown on
 * its own; so are the worker's warm-up calls, made before the first measured frame.
 */
public final class PanelState {
    private final String protocol;
    private final String target;
    private final LatencyMetrics metrics = new LatencyMetrics();
    private Frame frame; // the frame the last answer is for
    private Frame unanswered; // the last frame that got no answer
    private Reply reply;
    private String error = "";
    private boolean warmingUp;
    private boolean stopped;
    private double firstCallMs = Double.NaN;
    private long lastTriedId;

    public PanelState(String protocol, String target) {
        this.protocol = protocol;
        this.target = target;
    }

    /** The server answered a measured frame; a refusal counts as an error, not as a latency. */
    public synchronized void answered(Frame sent, Reply answer, double endToEndMs, long answeredAtNanos) {
        boolean first = show(sent, answer, endToEndMs);
        if (!answer.ok()) {
            metrics.recordError();
        } else if (!first) {
            metrics.record(endToEndMs, answeredAtNanos);
        }
        tried(sent.id());
    }

    /** No answer came for a measured frame (server down, timeout); the last answered picture stays on screen. */
    public synchronized void failed(Frame sent, String why) {
        unanswered = sent;
        error = why;
        metrics.recordError();
        tried(sent.id());
    }

    /** The worker's warm-up calls begin or end; none of them is counted. */
    public synchronized void warmingUp(boolean on) {
        warmingUp = on;
    }

    /** A warm-up call was answered: shown, not counted. */
    public synchronized void warmUpAnswered(Frame sent, Reply answer, double endToEndMs) {
        show(sent, answer, endToEndMs);
    }

    /** A warm-up call got no answer: shown, not counted. */
    public synchronized void warmUpFailed(Frame sent, String why) {
        unanswered = sent;
        error = why;
    }

    /** The server does not offer this protocol's call at all: no more frames go to it. */
    public synchronized void stopped(Frame sent, String why) {
        unanswered = sent;
        error = why;
        stopped = true;
        warmingUp = false;
        tried(sent.id());
    }

    /** The frame was not sent because this protocol is switched off, or stopped. */
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
                shown == null ? 0 : shown.id(), reply, error, save, warmingUp, stopped, firstCallMs,
                metrics.snapshot());
    }

    /** Shows an answer; true if it was the first call answered, whose time is kept apart. */
    private boolean show(Frame sent, Reply answer, double endToEndMs) {
        frame = sent;
        reply = answer;
        error = answer.ok() ? "" : answer.error();
        if (Double.isNaN(firstCallMs)) {
            firstCallMs = endToEndMs;
            return true;
        }
        return false;
    }

    private void tried(long id) {
        lastTriedId = Math.max(lastTriedId, id);
        notifyAll();
    }
}

package inferbench.client;

/**
 * The newest captured frame, handed to the protocol workers. A worker asks for a frame newer
 * than the one it sent last and gets the newest there is: frames that arrived while it waited
 * for a reply are skipped, so a slow protocol falls behind in frame rate, never in time.
 */
public final class LatestFrame {
    private Frame latest;
    private boolean closed;

    public synchronized void publish(Frame frame) {
        latest = frame;
        notifyAll();
    }

    /** Blocks until a frame with an id above {@code afterId} is there; null once closed. */
    public synchronized Frame awaitNewerThan(long afterId) throws InterruptedException {
        while (!closed && (latest == null || latest.id() <= afterId)) {
            wait();
        }
        return closed ? null : latest;
    }

    /** Wakes every waiting worker with null: capture is over. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}

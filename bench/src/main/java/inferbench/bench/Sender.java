package inferbench.bench;

/**
 * One load thread's client: a connection, a call or an in-process pipeline, used by that
 * thread only, so N threads give N requests in flight and never share a stream.
 */
public interface Sender extends AutoCloseable {

    /** Sends request number {@code ticket} and waits for its answer; the caller times it. */
    Answer send(int ticket) throws Exception;

    @Override
    default void close() throws Exception {
    }

    /**
     * What came back, apart from the time it took.
     *
     * @param error why the request failed (no answer, a refusal), or "" when it was answered
     * @param wrong how the answer differs from the expected one, or "" when it is right
     */
    record Answer(double serverMs, long requestBytes, long replyBytes, String error, String wrong) {
    }

    /** Opens one thread's sender; called on that thread. */
    @FunctionalInterface
    interface Factory {
        Sender open() throws Exception;
    }
}

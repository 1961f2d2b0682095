package inferbench.bench;

/**
 * One measured request: the client's end-to-end time and what the reply said about itself.
 *
 * @param serverMs     the latency the server reported (for the floor: the pipeline's own)
 * @param requestBytes bytes sent for this request, as the transport counted them (the body)
 * @param replyBytes   bytes received for its reply (the body)
 * @param error        why the request failed (no answer, or a refusal), or "" when it was answered
 * @param wrong        how the answer differs from the in-process pipeline's, or "" when it is right
 */
public record Sample(double endToEndMs, double serverMs, long requestBytes, long replyBytes, String error,
                     String wrong) {

    public static Sample failed(double endToEndMs, String error) {
        return new Sample(endToEndMs, Double.NaN, 0, 0, error, "");
    }

    public boolean isFailed() {
        return !error.isEmpty();
    }

    public boolean isWrong() {
        return !isFailed() && !wrong.isEmpty();
    }

    /** Answered, and rightly: the only requests throughput and latency count. */
    public boolean correct() {
        return error.isEmpty() && wrong.isEmpty();
    }

    /** Time spent outside the server's measured work: network, framing, parsing, queueing. */
    public double overheadMs() {
        return endToEndMs - serverMs;
    }
}

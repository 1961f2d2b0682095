package inferbench.bench;

/**
 * One measured request: the client's end-to-end time and what the reply said about itself.
 *
 * @param serverMs     the latency the server reported (for the floor: the pipeline's own)
 * @param requestBytes bytes sent for this request, as the transport counted them
 * @param replyBytes   bytes received for its reply
 * @param error        why the request failed, or "" when it succeeded
 */
public record Sample(double endToEndMs, double serverMs, long requestBytes, long replyBytes, String error) {

    public static Sample failed(double endToEndMs, String error) {
        return new Sample(endToEndMs, Double.NaN, 0, 0, error);
    }

    public boolean ok() {
        return error.isEmpty();
    }

    /** Time spent outside the server's measured work: network, framing, parsing, queueing. */
    public double overheadMs() {
        return endToEndMs - serverMs;
    }
}

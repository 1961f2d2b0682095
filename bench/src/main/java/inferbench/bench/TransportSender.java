package inferbench.bench;

import inferbench.client.transport.Reply;
import inferbench.client.transport.Transport;

/**
 * A load thread's {@link Sender} over the client's {@link Transport}: one transport per thread
 * (its own connection, or its own call for gRPC stream), and every answer checked.
 */
final class TransportSender implements Sender {
    private final Transport transport;
    private final Frames frames;
    private final boolean save;

    TransportSender(Transport transport, Frames frames, boolean save) {
        this.transport = transport;
        this.frames = frames;
        this.save = save;
    }

    static Sender.Factory factory(BenchTransport kind, Servers servers, Frames frames, boolean save) {
        return () -> new TransportSender(kind.open(servers), frames, save);
    }

    @Override
    public Answer send(int ticket) throws Exception {
        Frames.Frame frame = frames.forTicket(ticket);
        Reply reply = transport.send(frame.jpeg(), save);
        return judged(frame, reply, save);
    }

    @Override
    public void close() {
        transport.close();
    }

    /**
     * A refusal (or, when saving, a failed save) is an error; an answer that differs from the
     * in-process pipeline's is a wrong answer, kept apart so a fast wrong answer is never
     * counted as a fast one.
     */
    static Answer judged(Frames.Frame frame, Reply reply, boolean save) {
        String error = !reply.ok() ? reply.error() : save ? reply.saveError() : "";
        String wrong = reply.ok() ? frame.expected().mismatch(reply) : "";
        return new Answer(reply.serverLatencyMs(), reply.requestBytes(), reply.responseBytes(), error,
                wrong.isEmpty() ? "" : "wrong answer for the " + frame.name() + " frame: " + wrong);
    }
}

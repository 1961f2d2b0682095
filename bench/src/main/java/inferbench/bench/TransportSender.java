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

    private TransportSender(Transport transport, Frames frames, boolean save) {
        this.transport = transport;
        this.frames = frames;
        this.save = save;
    }

    static Sender.Factory factory(BenchTransport kind, Servers servers, Frames frames, boolean save) {
        return () -> new TransportSender(kind.open(servers.restUrl(), servers.grpcTarget()), frames, save);
    }

    @Override
    public Answer send(int ticket) throws Exception {
        Frames.Frame frame = frames.forTicket(ticket);
        Reply reply = transport.send(frame.jpeg(), save);
        return new Answer(reply.serverLatencyMs(), reply.requestBytes(), reply.responseBytes(),
                verdict(frame, reply, save));
    }

    @Override
    public void close() {
        transport.close();
    }

    /** "" for a right answer; otherwise what was wrong, so a fast wrong answer counts as an error. */
    static String verdict(Frames.Frame frame, Reply reply, boolean save) {
        if (!reply.ok()) {
            return reply.error();
        }
        if (!reply.status().equals(frame.expectedStatus())) {
            return "wrong answer for the " + frame.name() + " frame: " + reply.status() + ", expected "
                    + frame.expectedStatus();
        }
        if (save && !reply.saveError().isEmpty()) {
            return reply.saveError();
        }
        return "";
    }
}

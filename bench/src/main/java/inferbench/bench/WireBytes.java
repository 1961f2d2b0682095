package inferbench.bench;

import inferbench.client.transport.Reply;
import inferbench.client.transport.Transport;
import inferbench.link.RelayAddresses;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whole bytes on the wire per request, measured at the socket through a {@link ByteCountingRelay}:
 * one new client per transport sends the frames one at a time, and the relay's counts before
 * and after each call give that call's bytes each way. The first call carries the connection's
 * setup (for HTTP/2 the preface and settings, and HPACK's table still empty); later calls show
 * what every further frame costs.
 */
final class WireBytes {
    /** Quiet time after a reply before the counts are read; see {@link ByteCountingRelay#awaitQuiet}. */
    private static final Duration QUIET = Duration.ofMillis(5);
    private static final Duration QUIET_LIMIT = Duration.ofMillis(200);

    /**
     * One transport's bytes with one frame set, per call, sent / received. "Framing" is all but
     * the body: request and status lines and headers, or HTTP/2 frames, HPACK headers, gRPC's
     * message prefix and trailers, and on the first call the connection's setup.
     *
     * @param wire         mean over the calls after the first: every byte
     * @param body         mean over the same calls: the HTTP body or the Protobuf message
     * @param firstFraming the first call's framing
     * @param lastFraming  the last call's framing
     * @param errors       calls that failed or were answered wrongly (their bytes count all the same)
     */
    record Result(String transport, String set, FrameSize size, int calls, Bytes wire, Bytes body,
                  Bytes firstFraming, Bytes lastFraming, int errors) {
    }

    /** Bytes each way, possibly a mean. */
    record Bytes(double sent, double received) {
        String text() {
            return String.format(Locale.ROOT, "%,.0f / %,.0f", sent, received);
        }
    }

    private WireBytes() {
    }

    /** Every frame set with every transport, in turn. */
    static List<Result> measureAll(List<BenchTransport> transports, Servers servers, List<Frames> frames,
                                   BenchOptions options, PrintStream progress) throws Exception {
        List<Result> results = new ArrayList<>();
        for (Frames f : frames) {
            for (BenchTransport t : transports) {
                Result r = measure(t, servers, f, options.wireCalls(), options.save());
                progress.printf("%-18s %s on the wire: %s B per call (body %s), framing: first call %s, last %s%n",
                        t.label, f.label(), r.wire().text(), r.body().text(), r.firstFraming().text(),
                        r.lastFraming().text());
                results.add(r);
            }
        }
        return results;
    }

    static Result measure(BenchTransport kind, Servers servers, Frames frames, int calls, boolean save)
            throws Exception {
        if (calls < 2) {
            throw new IllegalArgumentException("the wire pass needs at least 2 calls: the first, and one after it");
        }
        InetSocketAddress server = kind.server == BenchTransport.Server.REST
                ? RelayAddresses.of(servers.restUrl()) : RelayAddresses.of(servers.grpcTarget());
        try (ByteCountingRelay relay = ByteCountingRelay.start(server.getHostString(), server.getPort());
             Transport transport = kind.open(Servers.at(servers.restUrl() == null ? null
                     : RelayAddresses.through(servers.restUrl(), relay.port()), RelayAddresses.through(relay.port()),
                     servers.tls()))) {
            Bytes firstFraming = null;
            Bytes lastFraming = null;
            double[] sums = new double[4]; // wire sent, wire received, body sent, body received
            int errors = 0;
            for (int call = 0; call < calls; call++) {
                Frames.Frame frame = frames.forTicket(call);
                ByteCountingRelay.Counts before = relay.counts();
                Reply reply = transport.send(frame.jpeg(), save);
                relay.awaitQuiet(QUIET, QUIET_LIMIT);
                ByteCountingRelay.Counts wire = relay.counts().minus(before);
                Sender.Answer answer = TransportSender.judged(frame, reply, save);
                if (!answer.error().isEmpty() || !answer.wrong().isEmpty()) {
                    errors++;
                }
                lastFraming = new Bytes(wire.sent() - reply.requestBytes(), wire.received() - reply.responseBytes());
                if (call == 0) {
                    firstFraming = lastFraming;
                } else {
                    sums[0] += wire.sent();
                    sums[1] += wire.received();
                    sums[2] += reply.requestBytes();
                    sums[3] += reply.responseBytes();
                }
            }
            double after = calls - 1;
            return new Result(kind.label, frames.set(), frames.size(), calls, new Bytes(sums[0] / after,
                    sums[1] / after), new Bytes(sums[2] / after, sums[3] / after), firstFraming, lastFraming, errors);
        }
    }

    /** The same /predict address (http or https) with the relay's port; null when there is no REST server. */
    static String markdown(List<Result> results) {
        StringBuilder md = new StringBuilder("| frames | transport | body B per call | wire B per call"
                + " | framing B: first call | framing B: last call | calls |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            md.append("| ").append(r.set()).append(' ').append(r.size()).append(" | ").append(r.transport())
                    .append(" | ").append(r.body().text()).append(" | ").append(r.wire().text())
                    .append(" | ").append(r.firstFraming().text()).append(" | ").append(r.lastFraming().text())
                    .append(" | ").append(r.calls())
                    .append(r.errors() == 0 ? "" : " (" + r.errors() + " not answered right)").append(" |\n");
        }
        return md.toString();
    }
}

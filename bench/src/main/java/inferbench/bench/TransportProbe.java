package inferbench.bench;

import inferbench.client.transport.NotOfferedException;
import inferbench.client.transport.Reply;
import inferbench.client.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One call per transport before anything is measured, to learn which transports the servers
 * offer. Servers that speak the same wire contract need not offer all four: a REST server may
 * take only multipart bodies, a gRPC server only unary {@code Predict}. Such a transport is
 * reported as not offered and left out, instead of failing every request of its cells.
 */
final class TransportProbe {
    /**
     * What a server answers for a kind of request it does not take: no such path or method, a
     * media type it does not accept, a body it cannot read as a form (FastAPI's 422), no such
     * gRPC method.
     */
    private static final Pattern NOT_OFFERED = Pattern.compile("^(HTTP (404|405|415|422)\\b|UNIMPLEMENTED\\b).*",
            Pattern.DOTALL);

    enum Outcome { OFFERED, NOT_OFFERED, FAILED }

    /** @param detail the refusal or error for a transport not measured; a wrong answer for an offered one */
    record Result(BenchTransport transport, Outcome outcome, String detail) {
        boolean offered() {
            return outcome == Outcome.OFFERED;
        }
    }

    private TransportProbe() {
    }

    static Result probe(BenchTransport kind, Servers servers, Frames frames, boolean save) {
        Frames.Frame frame = frames.forTicket(0);
        try (Transport transport = kind.open(servers)) {
            return judge(kind, frame, transport.send(frame.jpeg(), save), save);
        } catch (NotOfferedException e) { // no such gRPC method, or no such REST path
            return new Result(kind, Outcome.NOT_OFFERED, e.getMessage());
        } catch (Exception e) {
            return new Result(kind, Outcome.FAILED, String.valueOf(e));
        }
    }

    static Result judge(BenchTransport kind, Frames.Frame frame, Reply reply, boolean save) {
        if (!reply.ok()) {
            boolean notOffered = NOT_OFFERED.matcher(reply.error()).matches();
            return new Result(kind, notOffered ? Outcome.NOT_OFFERED : Outcome.FAILED, reply.error());
        }
        Sender.Answer answer = TransportSender.judged(frame, reply, save);
        return answer.error().isEmpty() ? new Result(kind, Outcome.OFFERED, answer.wrong())
                : new Result(kind, Outcome.FAILED, answer.error());
    }

    /**
     * Why the probes fail the run, or nothing: a transport that failed at its probe; one that a
     * server the benchmark started does not offer (the project's servers offer all four); a
     * server that offers none of the transports asked for (a wrong address, most likely). A
     * server not started here may leave some out.
     */
    static List<String> failures(List<Result> results, boolean serversStarted) {
        List<String> failures = new ArrayList<>();
        for (Result r : results) {
            if (r.outcome() == Outcome.FAILED || (serversStarted && r.outcome() == Outcome.NOT_OFFERED)) {
                failures.add(r.transport().label + " " + (r.outcome() == Outcome.FAILED ? "failed" : "not offered")
                        + " (" + r.detail() + ")");
            }
        }
        for (BenchTransport.Server server : BenchTransport.Server.values()) {
            List<Result> ofServer = results.stream().filter(r -> r.transport().server == server).toList();
            if (!ofServer.isEmpty() && ofServer.stream().allMatch(r -> r.outcome() == Outcome.NOT_OFFERED)) {
                failures.add(server == BenchTransport.Server.REST
                        ? "the REST server offers none of the transports asked for: is the URL its /predict"
                        + " address, such as http://localhost:8001/predict?"
                        : "the gRPC server offers none of the transports asked for: is HOST:PORT right?");
            }
        }
        return failures;
    }

    static List<BenchTransport> offered(List<Result> results) {
        return results.stream().filter(Result::offered).map(Result::transport).toList();
    }
}

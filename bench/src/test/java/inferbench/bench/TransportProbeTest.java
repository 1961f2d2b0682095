package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.client.transport.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TransportProbeTest {
    private static final FrameSize SMALL = new FrameSize(320, 240);
    private static Floor floor;
    private static Frames frames;

    @BeforeAll
    static void pipeline(@TempDir Path storage) {
        floor = Floor.of(List.of(), 1, storage, false, false);
        frames = Frames.of(FrameSets.DEFAULT, SMALL, floor::answer);
    }

    @Test
    void aServerWithoutRawJpegOrPredictStreamOffersOnlyMultipartAndUnary() throws Exception {
        try (PartialServers partial = new PartialServers(floor::answer)) {
            Map<BenchTransport, TransportProbe.Result> probes = probeAll(partial);

            assertEquals(TransportProbe.Outcome.OFFERED, probes.get(BenchTransport.REST_MULTIPART).outcome());
            assertEquals(TransportProbe.Outcome.OFFERED, probes.get(BenchTransport.GRPC_UNARY).outcome());
            assertEquals("", probes.get(BenchTransport.GRPC_UNARY).detail(), "the answer was right");
            TransportProbe.Result raw = probes.get(BenchTransport.REST_RAW);
            assertEquals(TransportProbe.Outcome.NOT_OFFERED, raw.outcome());
            assertTrue(raw.detail().startsWith("HTTP 415"), raw.detail());
            TransportProbe.Result stream = probes.get(BenchTransport.GRPC_STREAM);
            assertEquals(TransportProbe.Outcome.NOT_OFFERED, stream.outcome());
            assertEquals("this server has no PredictStream", stream.detail());
            List<BenchTransport> offered = TransportProbe.offered(List.copyOf(probes.values()));
            assertTrue(offered.contains(BenchTransport.REST_MULTIPART) && offered.contains(BenchTransport.GRPC_UNARY)
                    && !offered.contains(BenchTransport.REST_RAW) && !offered.contains(BenchTransport.GRPC_STREAM),
                    offered.toString());
        }
    }

    @Test
    void aWrongAnswerAtTheProbeStillCountsAsOfferedAndSaysWhatWasWrong() throws Exception {
        try (PartialServers wrong = new PartialServers(jpeg -> new Expected("NO_DETECTION", List.of()))) {
            TransportProbe.Result unary = probeAll(wrong).get(BenchTransport.GRPC_UNARY);

            assertEquals(TransportProbe.Outcome.OFFERED, unary.outcome());
            assertTrue(unary.detail().contains("wrong answer for the face frame: status NO_DETECTION, expected OK"),
                    unary.detail());
        }
    }

    @Test
    void noServerAtTheAddressFailsTheProbeInsteadOfPassingForNotOffered() throws Exception {
        int closedPort = ServerProcess.freePort();
        Servers nowhere = Servers.running(BenchOptions.parse(new String[] {
                "--rest", "http://127.0.0.1:" + closedPort + "/predict", "--grpc", "127.0.0.1:" + closedPort}));

        for (BenchTransport kind : List.of(BenchTransport.REST_MULTIPART, BenchTransport.GRPC_UNARY)) {
            assertEquals(TransportProbe.Outcome.FAILED, TransportProbe.probe(kind, nowhere, frames, false).outcome());
        }
    }

    @Test
    void onlyTheStatusesOfAnAbsentRouteMethodOrMediaTypeMeanNotOffered() {
        Frames.Frame face = frames.forTicket(0);
        for (String refusal : List.of("HTTP 404: Not Found", "HTTP 405: Method Not Allowed",
                "HTTP 415: Only multipart", "HTTP 422: field required", "UNIMPLEMENTED: Method not found")) {
            assertEquals(TransportProbe.Outcome.NOT_OFFERED, TransportProbe.judge(BenchTransport.REST_RAW, face,
                    Reply.refused(refusal, 0, 0), false).outcome(), refusal);
        }
        for (String refusal : List.of("HTTP 400: invalid JPEG", "HTTP 500: internal error", "HTTP 4150: odd",
                "RESOURCE_EXHAUSTED: busy", "INVALID_ARGUMENT: not a JPEG")) {
            assertEquals(TransportProbe.Outcome.FAILED, TransportProbe.judge(BenchTransport.REST_RAW, face,
                    Reply.refused(refusal, 0, 0), false).outcome(), refusal);
        }
    }

    @Test
    void aServerThatOffersNothingAskedForFailsTheRunAsOurOwnServerLackingATransportDoes() {
        TransportProbe.Result multipartMissing = result(BenchTransport.REST_MULTIPART,
                TransportProbe.Outcome.NOT_OFFERED, "HTTP 405: Method Not Allowed");
        TransportProbe.Result rawMissing = result(BenchTransport.REST_RAW,
                TransportProbe.Outcome.NOT_OFFERED, "HTTP 405: Method Not Allowed");
        TransportProbe.Result multipart = result(BenchTransport.REST_MULTIPART, TransportProbe.Outcome.OFFERED, "");
        TransportProbe.Result unary = result(BenchTransport.GRPC_UNARY, TransportProbe.Outcome.OFFERED, "");
        TransportProbe.Result streamMissing = result(BenchTransport.GRPC_STREAM,
                TransportProbe.Outcome.NOT_OFFERED, "UNIMPLEMENTED: Method not found");

        List<String> wrongAddress = TransportProbe.failures(List.of(multipartMissing, rawMissing, unary,
                streamMissing), false);
        assertEquals(1, wrongAddress.size(), wrongAddress.toString());
        assertTrue(wrongAddress.get(0).contains("REST server offers none") && wrongAddress.get(0).contains("/predict"),
                wrongAddress.get(0));
        assertEquals(List.of(), TransportProbe.failures(List.of(multipart, rawMissing, unary, streamMissing), false));
        assertEquals(List.of("gRPC stream not offered (UNIMPLEMENTED: Method not found)"),
                TransportProbe.failures(List.of(multipart, unary, streamMissing), true));
    }

    private static TransportProbe.Result result(BenchTransport transport, TransportProbe.Outcome outcome,
                                                String detail) {
        return new TransportProbe.Result(transport, outcome, detail);
    }

    private static Map<BenchTransport, TransportProbe.Result> probeAll(PartialServers partial) {
        Servers servers = Servers.running(BenchOptions.parse(new String[] {
                "--rest", partial.restUrl(), "--grpc", partial.grpcTarget()}));
        return BenchTransport.select(List.of()).stream()
                .map(t -> TransportProbe.probe(t, servers, frames, false))
                .collect(Collectors.toMap(TransportProbe.Result::transport, r -> r, (a, b) -> a,
                        () -> new java.util.EnumMap<>(BenchTransport.class)));
    }
}

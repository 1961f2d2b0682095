package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.pipeline.JpegHeader;
import inferbench.samples.SampleFrames;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsReportTest {
    private static final List<TlsPass.Result> RESULTS = List.of(
            result("REST multipart", TlsPass.PLAINTEXT, 3.0, 1.5, 30.0),
            result("REST multipart", "TLS (JDK)", 9.5, 2.5, 31.25),
            result("gRPC unary", TlsPass.PLAINTEXT, 4.0, 1.0, 30.0),
            result("gRPC unary", "TLS (OpenSSL)", 6.0, 1.25, 30.5),
            result("gRPC unary", "TLS (JDK)", 8.0, 1.5, 31.0));

    @Test
    void eachTlsRowIsComparedWithItsTransportsPlaintextRow() {
        String md = TlsReport.markdown(RESULTS);

        assertTrue(md.contains("| loopback | REST multipart | TLS (JDK) | +6.50 | +1.00 | +1.25 |"), md);
        assertTrue(md.contains("| loopback | gRPC unary | TLS (JDK) | +4.00 | +0.50 | +1.00 |"), md);
    }

    @Test
    void aFrameRefusedBeforeDecodingKeepsItsSizeAndDeclaresTooManyPixels() throws Exception {
        byte[] jpeg = SampleFrames.faceJpeg();
        byte[] refused = Frames.refusedBeforeDecoding(jpeg);

        assertEquals(jpeg.length, refused.length);
        assertEquals(new JpegHeader(65535, 65535), JpegHeader.parse(ByteBuffer.wrap(refused)));
    }

    @Test
    void theHeadlineGivesGrpcsDefaultImplementation() {
        assertEquals("TLS on loopback: REST multipart, a new connection +6.50 ms, each frame +1.00 ms, server CPU"
                + " +1.25 ms per frame (JDK); gRPC unary, a new connection +2.00 ms, each frame +0.25 ms, server CPU"
                + " +0.50 ms per frame (OpenSSL)", TlsReport.headline(RESULTS));
    }

    @Test
    void overALinkTheSetupIsCountedInRoundTripsBeyondItsCostOnLoopback() {
        TlsPass.Result plain = new TlsPass.Result("4g", 50, "gRPC unary", TlsPass.PLAINTEXT, 5, 160, 54, RESULTS.get(2)
                .cell(), Double.NaN, 0);
        TlsPass.Result tls = new TlsPass.Result("4g", 50, "gRPC unary", "TLS (OpenSSL)", 5, 210, 106, RESULTS.get(3)
                .cell(), Double.NaN, 0);
        List<TlsPass.Result> results = new java.util.ArrayList<>(RESULTS);
        results.addAll(List.of(plain, tls));

        assertEquals(1.0, TlsReport.setupRoundTrips(results, plain), 1e-9); // (54 - 4) / 50: TCP's
        assertEquals(2.0, TlsReport.setupRoundTrips(results, tls), 1e-9); // (106 - 6) / 50: and TLS 1.3's
        assertTrue(TlsReport.headline(results).endsWith("TLS on 4g: gRPC unary, a new connection +52.00 ms (+1.0),"
                + " each frame +0.25 ms (OpenSSL)"), TlsReport.headline(results));
    }

    /** Ten requests whose overhead (end to end minus the server's 9 ms) is {@code overhead}. */
    private static TlsPass.Result result(String transport, String mode, double setup, double overhead, double cpu) {
        List<Sample> samples = Collections.nCopies(10, new Sample(9 + overhead, 9, 1000, 100, "", ""));
        CellResult cell = CellResult.of(transport, FrameSets.DEFAULT, FrameSize.WEBCAM, 1, 1,
                new LoadRunner.Run(samples, 1_000_000_000L));
        return new TlsPass.Result("loopback", 0, transport, mode, 10, 60, setup, cell, cpu, 0);
    }
}

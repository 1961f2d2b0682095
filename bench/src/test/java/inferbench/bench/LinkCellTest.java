package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.link.LinkProfile;
import inferbench.link.LinkProfiles;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round trips, the check on them, and how many requests a link cell measures. */
class LinkCellTest {
    private static final LinkProfile RTT_50 = LinkProfiles.parse("rtt=50ms");
    private static final FrameSize SD = new FrameSize(640, 480);

    @Test
    void roundTripsLeaveOutTheTimeTheLinksRateTakesForTheBytes() {
        // 100,000 bytes up at 8 Mbit/s take 100 ms: an overhead of 150 ms is then one 50 ms round trip.
        LinkProfile slow = LinkProfiles.parse("rtt=50ms,up=8mbit");
        assertEquals(1.0, cell(slow, FrameSize.WEBCAM, 1, 150, 100_000).roundTrips(), 1e-9);
        assertEquals(3.0, cell(RTT_50, FrameSize.WEBCAM, 1, 150, 100_000).roundTrips(), 1e-9);
        assertTrue(Double.isNaN(cell(LinkProfiles.parse("loopback"), FrameSize.WEBCAM, 1, 2, 1000).roundTrips()));
    }

    @Test
    void eachRequestLeavesOutTheTimeForItsOwnBytesSoFramesOfTwoSizesDoNotBlurTheMedian() {
        // 8 Mbit/s: 100,000 bytes take 100 ms, 300,000 take 300; each call waited one round trip.
        LinkProfile slow = LinkProfiles.parse("rtt=50ms,up=8mbit");
        List<Sample> samples = List.of(new Sample(160, 10, 100_000, 100, "", ""),
                new Sample(360, 10, 300_000, 100, "", ""), new Sample(160, 10, 100_000, 100, "", ""));
        CellResult cell = CellResult.of("REST multipart", FrameSets.DEFAULT, FrameSize.WEBCAM, 1, 1,
                new LoadRunner.Run(samples, 1_000_000_000L));

        assertEquals(1.0, LinkCell.of(slow, Sent.FULL, cell, samples, null).roundTrips(), 1e-9);
    }

    @Test
    void theCheckReadsTheFewestRoundTripsSinceABusyMachineSlowsOnlySomeRequests() {
        // One request of three in one round trip: the protocol needs no more; the machine was busy.
        List<Sample> samples = List.of(new Sample(60, 10, 1000, 100, "", ""),
                new Sample(110, 10, 1000, 100, "", ""), new Sample(110, 10, 1000, 100, "", ""));
        CellResult cell = CellResult.of("gRPC stream", FrameSets.DEFAULT, FrameSize.WEBCAM, 1, 1,
                new LoadRunner.Run(samples, 1_000_000_000L));
        LinkCell busy = LinkCell.of(RTT_50, Sent.FULL, cell, samples, null);

        assertEquals(2.0, busy.roundTrips(), 1e-9);
        assertEquals(1.0, busy.fewestRoundTrips(), 1e-9);
        assertTrue(RoundTrips.check(List.of(busy)).get(0).met());
    }

    @Test
    void theCheckTakesLargeFramesAtOneInFlightOnLinksOfFortyMillisecondsOrMore() {
        List<LinkCell> cells = List.of(
                cell(RTT_50, FrameSize.WEBCAM, 1, 60, 1000), // 1.2 round trips: met
                cell(RTT_50, new FrameSize(1920, 1080), 1, 105, 1000), // 2.1: not met
                cell(RTT_50, SD, 1, 105, 1000), // not checked: a small frame
                cell(RTT_50, FrameSize.WEBCAM, 4, 105, 1000), // not checked: 4 in flight queue
                cell(LinkProfiles.parse("rtt=20ms"), FrameSize.WEBCAM, 1, 105, 1000)); // not checked: too short

        List<Targets.Check> checks = RoundTrips.check(cells);

        assertEquals(2, checks.size(), checks.toString());
        assertTrue(checks.get(0).met(), checks.get(0).toString());
        assertFalse(checks.get(1).met(), checks.get(1).toString());
        assertEquals("2.10 (median 2.10)", checks.get(1).measured());
    }

    @Test
    void aCellMeasuresAboutASecondOfRequestsAtOneInFlightWithinItsBounds() {
        assertEquals(LinkPass.MAX_REQUESTS, LinkPass.requests(LinkProfiles.parse("loopback"), frames(100_000)));
        assertEquals(LinkPass.MIN_REQUESTS, LinkPass.requests(LinkProfiles.parse("4g"), frames(500_000)));
        // 50 ms, plus 30 for the server: 12.5 calls in a second
        assertEquals(13, LinkPass.requests(RTT_50, frames(500_000)));
    }

    @Test
    void theTableHasAThroughputColumnPerNumberInFlightAndTheFirstCall() {
        LinkCell one = new LinkCell(RTT_50, Sent.CENTRE, cell(RTT_50, FrameSize.WEBCAM, 1, 60, 1000).cell(), 1.2,
                1.2, new Sample(130, 10, 1000, 100, "", ""));
        LinkCell four = new LinkCell(RTT_50, Sent.CENTRE, cell(RTT_50, FrameSize.WEBCAM, 4, 60, 1000).cell(), 1.2,
                1.2, null);

        String[] rows = LinkReport.table(List.of(four, one), List.of(4, 1)).split("\n");

        assertEquals(3, rows.length, String.join("\n", rows));
        assertTrue(rows[0].contains("| req/s at 1 | req/s at 4 | first call ms |"), rows[0]);
        assertTrue(rows[2].startsWith("| 1280x720 | centre square | gRPC unary | 60.0 | 1.20 | 10.0 | 10.0 | 130 |"),
                rows[2]);
    }

    /** Ten calls of 10 ms server time and the given overhead, one second in all. */
    private static LinkCell cell(LinkProfile link, FrameSize size, int concurrency, double overheadMs, long bytes) {
        List<Sample> samples = Collections.nCopies(10, new Sample(10 + overheadMs, 10, bytes, 100, "", ""));
        return LinkCell.of(link, Sent.FULL, CellResult.of("gRPC unary", FrameSets.DEFAULT, size, concurrency,
                concurrency, new LoadRunner.Run(samples, 1_000_000_000L)), samples, null);
    }

    private static Frames frames(int bytes) {
        Frames.Frame frame = new Frames.Frame("frame", new byte[bytes], new Expected("OK", List.of()), 1);
        return new Frames(FrameSets.DEFAULT, "test", FrameSize.WEBCAM, List.of(frame));
    }
}

package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.link.LinkProfile;
import inferbench.link.LinkProfiles;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsAreTheDefaultFramesAtFourLevelsThenTheBusyOnesAtOneAndTwiceTheWorkers() {
        BenchOptions options = BenchOptions.parse(new String[] {"--workers", "3"});

        assertEquals(List.of("default", "busy"), options.frames());
        assertEquals(List.of(1, 2, 4, 8), options.concurrencyOfSet(0));
        assertEquals("200 requests", options.perCell(0));
        assertEquals(List.of(1, 6), options.concurrencyOfSet(1));
        assertEquals("100 requests", options.perCell(1));
        assertEquals(4000, options.firstWarmup());
        assertEquals(100, options.wireCalls());
        assertEquals(128, options.coldCalls());
        assertEquals(List.of(FrameSize.WEBCAM), options.sizes());
        assertTrue(options.startsServers());
        LinkOptions links = options.links();
        assertEquals(List.of("rtt=50ms"), links.profiles().stream().map(LinkProfile::name).toList());
        assertEquals(LinkOptions.SIZES, links.sizes());
        assertEquals(List.of(1, 4), links.concurrency());
        assertEquals(0, links.requests(), "as many as the link's time allows");
        assertEquals(List.of(Sent.FULL), links.sent());
    }

    @Test
    void theQuickCheckRunsTheGuardLinkWithItsSizesAtOneInFlight() {
        LinkOptions links = BenchOptions.parse(new String[] {"--quick"}).links();

        assertEquals(List.of("rtt=50ms"), links.profiles().stream().map(LinkProfile::name).toList());
        assertEquals(LinkOptions.GUARD_SIZES, links.sizes());
        assertEquals(List.of(1), links.concurrency());
        assertEquals(5, links.requests());
    }

    @Test
    void linksAreNamedCustomAllOrNoneAndABadOneIsRefusedWithTheNames() {
        LinkOptions links = BenchOptions.parse(new String[] {"--link", "lan,rtt=80ms,up=20mbit", "--send",
                "full,centre"}).links();
        assertEquals(List.of("lan", "rtt=80ms,up=20mbit"), links.profiles().stream().map(LinkProfile::name).toList());
        assertEquals(List.of(Sent.FULL, Sent.CENTRE), links.sent());
        assertEquals(LinkProfiles.NAMED, BenchOptions.parse(new String[] {"--link", "all"}).links().profiles());
        assertTrue(BenchOptions.parse(new String[] {"--link", "none"}).links().profiles().isEmpty());
        assertRefusedSaying("--link: unknown link 'lte': use loopback, lan, wifi, 4g, wan", "--link", "lte");
        assertRefusedSaying("--send: expected full or centre, got 'crop'", "--send", "crop");
        assertRefusedSaying("--link-sizes: expected WIDTHxHEIGHT", "--link-sizes", "720p");
    }

    @Test
    void aFrameSetTwiceOrOneWireCallAreRefused() {
        assertRefusedSaying("each frame set once", "--frames", "busy,default,busy");
        assertRefusedSaying("at least 2", "--wire-calls", "1");
    }

    @Test
    void serverArgsMayThemselvesStartWithDashes() {
        BenchOptions options = BenchOptions.parse(new String[] {"--server-args", "--decode approximate --opencv-threads 1",
                "--requests", "10"});

        assertEquals(List.of("--decode", "approximate", "--opencv-threads", "1"), options.serverArgs());
        assertEquals(10, options.requests());
    }

    @Test
    void theExpectedAnswersAreTheOriginalsUnlessAskedForTheServers() {
        assertFalse(BenchOptions.parse(new String[] {}).expectServers());
        assertTrue(BenchOptions.parse(new String[] {"--expect", "servers"}).expectServers());
        assertRefusedSaying("--expect: original or servers, got 'mine'", "--expect", "mine");
    }

    @Test
    void secondsMeasureEachCellForATimeInsteadOfACount() {
        BenchOptions options = BenchOptions.parse(new String[] {"--seconds", "10"});

        assertEquals(10, options.seconds());
        assertEquals("10 s", options.perCell(0));
    }

    @Test
    void requestsAndSecondsTogetherAreRefusedSinceBothSayHowMuchACellMeasures() {
        assertRefusedSaying("--requests and --seconds", "--seconds", "10", "--requests", "100");
    }

    @Test
    void theLeakCheckRefusesSecondsSinceItComparesMemoryAfterCountsOfRequests() {
        assertRefusedSaying("leave out --seconds", "--soak", "10000", "--seconds", "10");
    }

    @Test
    void sizesAndConcurrencyAreCommaSeparatedLists() {
        BenchOptions options = BenchOptions.parse(new String[] {"--size", "640x480,1920x1080", "--concurrency", "2,8"});

        assertEquals(List.of(new FrameSize(640, 480), new FrameSize(1920, 1080)), options.sizes());
        assertEquals(8, options.maxConcurrency());
    }

    @Test
    void givingARunningServerMeansNoneIsStarted() {
        assertFalse(BenchOptions.parse(new String[] {"--grpc", "localhost:50051"}).startsServers());
    }

    @Test
    void theLeakCheckIsRefusedForServersItDidNotStartSinceItReadsTheirMemory() {
        assertRefusedSaying("/proc", "--soak", "10000", "--rest", "http://localhost:8001/predict");
    }

    @Test
    void aMisspeltOptionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--request", "5"}));
    }

    @Test
    void aPortraitOrMalformedSizeIsRefusedWithTheExpectedForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse(new String[] {"--size", "1280by720"}));

        assertTrue(e.getMessage().contains("WIDTHxHEIGHT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--size", "480x640"}));
    }

    @Test
    void anUnknownTransportNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchTransport.select(List.of("grpc-bidi")));

        assertTrue(e.getMessage().contains("grpc-stream"), e.getMessage());
    }

    private static void assertRefusedSaying(String expected, String... args) {
        String message = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(args)).getMessage();
        assertTrue(message.contains(expected), message);
    }
}

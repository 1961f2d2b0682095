package inferbench.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkProfilesTest {

    @Test
    void theCustomFormTakesTheRoundTripRatesAndJitterAndLeavesOutRatesItIsNotGiven() {
        LinkProfile full = LinkProfiles.parse("rtt=50ms,up=10mbit,down=40mbit,jitter=2ms");
        assertEquals(new LinkProfile("rtt=50ms,up=10mbit,down=40mbit,jitter=2ms", Duration.ofMillis(50),
                10_000_000, 40_000_000, Duration.ofMillis(2)), full);
        assertEquals("RTT 50 ms, up 10 Mbit/s, down 40 Mbit/s, jitter 2 ms", full.figures());

        LinkProfile delayOnly = LinkProfiles.parse("RTT=0.5ms");
        assertEquals(Duration.ofNanos(500_000), delayOnly.rtt());
        assertEquals("RTT 0.5 ms, no rate limit", delayOnly.figures());
        assertEquals(0, delayOnly.transmitMillis(1e6, 1e6));
        assertEquals(800, full.transmitMillis(1_000_000, 0), 1e-9);
    }

    @Test
    void aListMixesNamesAndCustomFormsAndAllMeansEveryNamedProfile() {
        List<LinkProfile> links = LinkProfiles.parseList("lan, rtt=80ms,up=20mbit, rtt=10ms, 4g");
        assertEquals(List.of("lan", "rtt=80ms,up=20mbit", "rtt=10ms", "4g"),
                links.stream().map(LinkProfile::name).toList());
        assertEquals(LinkProfiles.NAMED, LinkProfiles.parseList("all"));
        assertEquals("4g: RTT 50 ms, up 6 Mbit/s, down 20 Mbit/s, jitter 5 ms", LinkProfiles.parse("4g").describe());
    }

    @Test
    void aBadNameOrFormIsRefusedSayingWhatWouldDo() {
        assertRefused("lte", "unknown link 'lte': use loopback, lan, wifi, 4g, wan, or rtt=50ms");
        assertRefused("up=10mbit", "has no rtt");
        assertRefused("rtt=50", "expected a time such as 50ms");
        assertRefused("rtt=50ms,up=10mbps", "expected a rate such as 800kbit, 10mbit or 1gbit");
        assertRefused("rtt=50ms,up=0mbit", "use 8kbit to 100gbit, or leave up out for no limit");
        assertRefused("rtt=50ms,loss=1", "unknown link setting 'loss'");
        assertRefused("rtt=11s", "at most 10s");
        assertRefused("4g,wan", "one link, please");
        assertRefused(" , ", "no link given");
    }

    private static void assertRefused(String text, String expected) {
        String message = assertThrows(IllegalArgumentException.class, () -> LinkProfiles.parse(text)).getMessage();
        assertTrue(message.contains(expected), message);
    }
}

package inferbench.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The structural check over links: a frame should cost one round trip of overhead, whatever the
 * protocol. Two round trips against one is tens of milliseconds on a link of 40 ms or more, far
 * above a noisy machine's jitter, so the check holds where a timing threshold would not. It
 * reads the fewest round trips any request of the cell needed: a wait the protocol adds comes
 * with every frame, while a busy machine slows only some requests.
 */
final class RoundTrips {
    static final double LIMIT = 1.5;
    static final Duration MIN_RTT = Duration.ofMillis(40);

    private RoundTrips() {
    }

    /** Per transport at 1 in flight with 1280x720 and 1920x1080 frames, on each link of at least 40 ms. */
    static List<Targets.Check> check(List<LinkCell> cells) {
        return cells.stream()
                .filter(c -> c.cell().concurrency() == 1 && LinkOptions.GUARD_SIZES.contains(c.cell().size())
                        && c.link().rtt().compareTo(MIN_RTT) >= 0)
                .map(c -> new Targets.Check(c.cell().transport() + " over " + c.link().name() + ", "
                        + c.cell().size() + " " + c.sent().label + ": at most " + LIMIT + " round trips",
                        String.format(Locale.ROOT, "%.2f (median %.2f)", c.fewestRoundTrips(), c.roundTrips())
                                + (c.cell().clean() ? "" : "; " + c.cell().errors() + " errors, " + c.cell().wrong()
                                + " wrong"),
                        c.fewestRoundTrips() <= LIMIT && c.cell().clean()))
                .toList();
    }
}

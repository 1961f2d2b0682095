package inferbench.bench;

import inferbench.config.Config;
import inferbench.link.LinkProfile;
import inferbench.link.LinkProfiles;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What the pass over emulated links measures ({@link LinkPass}), read from the command line.
 *
 * @param profiles    the links, in the order measured; empty for none
 * @param sizes       frame sizes
 * @param concurrency requests in flight
 * @param requests    measured requests per cell, or 0 to let each cell's expected time decide
 * @param sent        what of each frame goes over the link
 */
record LinkOptions(List<LinkProfile> profiles, List<FrameSize> sizes, List<Integer> concurrency, int requests,
                   List<Sent> sent) {
    /** The CI guard's link, and a default run's: the plain relay, 50 ms RTT, no rate limit. */
    static final String GUARD_LINK = "rtt=50ms";
    static final List<FrameSize> SIZES = List.of(new FrameSize(640, 480), FrameSize.WEBCAM,
            new FrameSize(1920, 1080));
    static final List<FrameSize> GUARD_SIZES = List.of(FrameSize.WEBCAM, new FrameSize(1920, 1080));

    static final String USAGE = """
              --link LIST          measure every transport through emulated links too: profiles
                                   (%s, all), custom ones such as
                                   rtt=50ms,up=10mbit,down=40mbit,jitter=2ms, or none (default %s)
              --link-sizes LIST    frame sizes over the links (default 640x480,1280x720,1920x1080;
                                   --quick: 1280x720,1920x1080)
              --link-concurrency LIST  requests in flight over the links (default 1,4; --quick: 1)
              --link-requests N    measured requests per link cell (default: as many as take about
                                   1 s at 1 in flight, 5 to 20; --quick: 5)
              --send LIST          what of each frame goes over the links: full, centre (only the
                                   centre square the servers look at), or full,centre (default full)
            """.formatted(LinkProfiles.names(), GUARD_LINK);

    static LinkOptions read(Config config, boolean quick) {
        String links = config.get("link", null, GUARD_LINK).trim();
        List<LinkProfile> profiles;
        try {
            profiles = links.equals("none") ? List.of() : LinkProfiles.parseList(links);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--link: " + e.getMessage());
        }
        return new LinkOptions(profiles,
                list(config.get("link-sizes", null, quick ? "1280x720,1920x1080" : "640x480,1280x720,1920x1080"),
                        LinkOptions::size),
                list(config.get("link-concurrency", null, quick ? "1" : "1,4"), BenchOptions::positive),
                config.getInt("link-requests", null, quick ? 5 : 0, 1),
                list(config.get("send", null, Sent.FULL.key), Sent::parse).stream().distinct().toList());
    }

    private static FrameSize size(String text) {
        try {
            return FrameSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--link-sizes: " + e.getMessage().replaceFirst("^--size: ", ""));
        }
    }

    private static <T> List<T> list(String text, Function<String, T> parse) {
        List<T> values = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(parse)
                .toList();
        if (values.isEmpty()) {
            throw new IllegalArgumentException("--link-sizes, --link-concurrency and --send need at least one value");
        }
        return values;
    }
}

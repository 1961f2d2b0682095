package inferbench.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The named link profiles, and the custom form {@code rtt=50ms,up=10mbit,down=40mbit,jitter=2ms}
 * (only {@code rtt} is required; a rate left out is not limited). Where each profile's figures
 * come from is in docs/benchmark.md.
 */
public final class LinkProfiles {
    private static final long KBIT = 1_000;
    private static final long MBIT = 1_000_000;
    private static final long GBIT = 1_000_000_000;

    /** In order of round-trip time; {@code all} means these. */
    public static final List<LinkProfile> NAMED = List.of(
            new LinkProfile("loopback", Duration.ZERO, 0, 0, Duration.ZERO),
            new LinkProfile("lan", Duration.ofMillis(1).dividedBy(2), GBIT, GBIT, Duration.ZERO),
            new LinkProfile("wifi", Duration.ofMillis(20), 35 * MBIT, 80 * MBIT, Duration.ofMillis(2)),
            new LinkProfile("4g", Duration.ofMillis(50), 6 * MBIT, 20 * MBIT, Duration.ofMillis(5)),
            new LinkProfile("wan", Duration.ofMillis(150), 35 * MBIT, 80 * MBIT, Duration.ofMillis(2)));

    private static final String FORMS = names()
            + ", or rtt=50ms,up=10mbit,down=40mbit,jitter=2ms (rtt required; a rate left out is not limited)";

    private static final List<String> KEYS = List.of("rtt", "up", "down", "jitter");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(us|ms|s)");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)(kbit|mbit|gbit)");
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);

    private LinkProfiles() {
    }

    /** "loopback, lan, wifi, 4g, wan". */
    public static String names() {
        return NAMED.stream().map(LinkProfile::name).collect(Collectors.joining(", "));
    }

    /** One profile: a name or the custom form. */
    public static LinkProfile parse(String text) {
        List<LinkProfile> profiles = parseList(text);
        if (profiles.size() != 1) {
            throw new IllegalArgumentException("one link, please: a name or one custom form, got '" + text + "'");
        }
        return profiles.get(0);
    }

    /**
     * A comma-separated list of names ({@code all} for every named profile) and custom forms,
     * such as {@code lan,4g,rtt=80ms,up=20mbit}: a key=value part belongs to the custom form
     * before it, unless that form already has the key, which starts a new one.
     */
    public static List<LinkProfile> parseList(String text) {
        List<LinkProfile> profiles = new ArrayList<>();
        Map<String, String> custom = new LinkedHashMap<>();
        for (String part : text.toLowerCase(Locale.ROOT).split(",")) {
            String token = part.trim();
            if (token.isEmpty()) {
                continue;
            }
            int equals = token.indexOf('=');
            if (equals < 0) {
                addCustom(profiles, custom);
                profiles.addAll(named(token));
                continue;
            }
            String key = token.substring(0, equals).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown link setting '" + key + "' in '" + token
                        + "': use rtt, up, down and jitter, such as rtt=50ms,up=10mbit,down=40mbit,jitter=2ms");
            }
            if (custom.containsKey(key)) {
                addCustom(profiles, custom);
            }
            custom.put(key, token.substring(equals + 1).trim());
        }
        addCustom(profiles, custom);
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("no link given: use " + FORMS);
        }
        return profiles;
    }

    private static List<LinkProfile> named(String name) {
        if (name.equals("all")) {
            return NAMED;
        }
        return List.of(NAMED.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown link '" + name + "': use " + FORMS)));
    }

    private static void addCustom(List<LinkProfile> profiles, Map<String, String> custom) {
        if (custom.isEmpty()) {
            return;
        }
        String form = custom.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        if (!custom.containsKey("rtt")) {
            throw new IllegalArgumentException("the link '" + form + "' has no rtt: a custom link needs one,"
                    + " such as rtt=50ms");
        }
        profiles.add(new LinkProfile(form, duration(custom.get("rtt"), "rtt"),
                custom.containsKey("up") ? rate(custom.get("up"), "up") : 0,
                custom.containsKey("down") ? rate(custom.get("down"), "down") : 0,
                duration(custom.getOrDefault("jitter", "0ms"), "jitter")));
        custom.clear();
    }

    private static Duration duration(String text, String key) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + "=" + text + ": expected a time such as 50ms, 0.5ms, 1s or 800us");
        }
        double nanosPerUnit = switch (m.group(2)) {
            case "us" -> 1e3;
            case "ms" -> 1e6;
            default -> 1e9;
        };
        Duration value = Duration.ofNanos(Math.round(Double.parseDouble(m.group(1)) * nanosPerUnit));
        if (value.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(key + "=" + text + ": at most 10s");
        }
        return value;
    }

    private static long rate(String text, String key) {
        Matcher m = RATE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(key + "=" + text + ": expected a rate such as 800kbit, 10mbit or 1gbit");
        }
        long unit = switch (m.group(2)) {
            case "kbit" -> KBIT;
            case "mbit" -> MBIT;
            default -> GBIT;
        };
        double bits = Double.parseDouble(m.group(1)) * unit;
        if (bits > 100.0 * GBIT || bits < 8 * KBIT) {
            throw new IllegalArgumentException(key + "=" + text + ": use 8kbit to 100gbit, or leave " + key
                    + " out for no limit");
        }
        return Math.round(bits);
    }
}

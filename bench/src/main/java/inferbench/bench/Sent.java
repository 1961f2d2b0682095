package inferbench.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What of each frame is sent over a link: all of it, or only the centre square the pipeline looks at. */
enum Sent {
    FULL("full", "full frame"),
    CENTRE("centre", "centre square");

    final String key;
    final String label;

    Sent(String key, String label) {
        this.key = key;
        this.label = label;
    }

    static Sent parse(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--send: expected " + Arrays.stream(values())
                        .map(s -> s.key).collect(Collectors.joining(" or ")) + ", got '" + key + "'"));
    }
}

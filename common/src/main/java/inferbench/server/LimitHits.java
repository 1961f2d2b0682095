package inferbench.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** How often each of a server's limits was hit, by the flag that sets it ({@link LimitsReport#hits}). */
public final class LimitHits {
    private final Map<String, LongAdder> counts = new LinkedHashMap<>();

    /** @param limits every limit that may be hit, so each is reported, at 0, from the start */
    public LimitHits(String... limits) {
        for (String limit : limits) {
            counts.put(limit, new LongAdder());
        }
    }

    /** @throws IllegalArgumentException for a limit not named at construction */
    public void hit(String limit) {
        LongAdder count = counts.get(limit);
        if (count == null) {
            throw new IllegalArgumentException("not a limit of this server: " + limit);
        }
        count.increment();
    }

    public Map<String, Long> counts() {
        Map<String, Long> now = new LinkedHashMap<>();
        counts.forEach((limit, count) -> now.put(limit, count.sum()));
        return now;
    }
}

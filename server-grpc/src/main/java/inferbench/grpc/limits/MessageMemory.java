package inferbench.grpc.limits;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of messages still arriving, all calls together, and which calls give way when they
 * pass the limit: those whose message has been arriving the longest. A webcam frame arrives in
 * milliseconds, so the oldest partial messages are the stalled ones, whatever their size: an
 * attacker cannot keep its stalled uploads in memory by making them small, only by sending
 * fresh ones faster than the limit fills.
 *
 * @param <C> the calls, as the caller names them
 */
final class MessageMemory<C> {
    private final long limit;
    /** Bytes held per call, the call whose message started first first. */
    private final Map<C, Long> held = new LinkedHashMap<>();
    private final Set<C> gaveWay = new HashSet<>();
    private long total;

    MessageMemory(long limit) {
        this.limit = limit;
    }

    /**
     * Counts {@code bytes} more of {@code call}'s message.
     *
     * @return the calls that must be ended to stay within the limit, oldest first; usually none
     */
    synchronized List<C> add(C call, long bytes) {
        if (gaveWay.contains(call)) {
            return List.of(); // being ended: its bytes go when its stream closes, in a moment
        }
        held.merge(call, bytes, Long::sum);
        total += bytes;
        List<C> givingWay = new ArrayList<>(0);
        for (Iterator<Map.Entry<C, Long>> oldest = held.entrySet().iterator(); total > limit && oldest.hasNext(); ) {
            Map.Entry<C, Long> entry = oldest.next();
            total -= entry.getValue();
            gaveWay.add(entry.getKey());
            givingWay.add(entry.getKey());
            oldest.remove();
        }
        return givingWay;
    }

    /** The call's message has been handed over (or the call has ended): its bytes no longer count. */
    synchronized void release(C call) {
        Long bytes = held.remove(call);
        if (bytes != null) {
            total -= bytes;
        }
    }

    /** The call has ended: forgets it. */
    synchronized void forget(C call) {
        release(call);
        gaveWay.remove(call);
    }
}

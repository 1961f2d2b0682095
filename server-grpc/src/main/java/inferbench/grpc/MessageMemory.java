package inferbench.grpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of messages still arriving, all calls together, and which calls give way when they
 * pass the limit: the ones holding the most. A client stalling in the middle of large messages
 * then loses its calls, while the small frames of everyone else go on arriving; the rule needs
 * no guess about who is an attacker.
 *
 * @param <C> the calls, as the caller names them
 */
final class MessageMemory<C> {
    private final long limit;
    private final Map<C, Long> held = new HashMap<>();
    private final Set<C> gaveWay = new HashSet<>();
    private long total;

    MessageMemory(long limit) {
        this.limit = limit;
    }

    /**
     * Counts {@code bytes} more of {@code call}'s message.
     *
     * @return the calls that must be ended to stay within the limit, largest first; usually none
     */
    synchronized List<C> add(C call, long bytes) {
        if (gaveWay.contains(call)) {
            return List.of(); // being ended: its bytes go when its stream closes, in a moment
        }
        held.merge(call, bytes, Long::sum);
        total += bytes;
        List<C> givingWay = new ArrayList<>(0);
        while (total > limit) {
            C largest = null;
            long most = 0;
            for (Map.Entry<C, Long> entry : held.entrySet()) {
                if (entry.getValue() > most) {
                    largest = entry.getKey();
                    most = entry.getValue();
                }
            }
            if (largest == null) {
                break; // the count is off; never loop on it
            }
            held.remove(largest);
            total -= most;
            gaveWay.add(largest);
            givingWay.add(largest);
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

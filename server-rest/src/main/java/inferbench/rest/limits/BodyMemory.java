package inferbench.rest.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies in progress may hold together ({@code --body-memory}).
 *
 * <p>Each body is limited on its own ({@code --max-body}), but many bodies at once are not:
 * 512 connections each sending all but the last byte of a 16 MiB body would hold 8 GiB. So a
 * body takes its memory from this budget as it grows, that is as its bytes arrive (a client
 * trickling one byte a second holds one small buffer, not its declared length), and gives it back
 * when the request is done. A body that finds the budget spent is refused at once (503) rather
 * than waited for.
 */
final class BodyMemory {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BodyMemory(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} from the budget if they are free; never waits. */
    boolean tryTake(long bytes) {
        long before;
        do {
            before = held.get();
            if (before + bytes > limit) {
                return false;
            }
        } while (!held.compareAndSet(before, before + bytes));
        return true;
    }

    void giveBack(long bytes) {
        held.addAndGet(-bytes);
    }

    long limit() {
        return limit;
    }
}

package inferbench.link;

/**
 * One direction of a link at its rate, shared by every connection through the link: bytes leave
 * one after the other in the order they were handed over, so four connections that send at once
 * each get a quarter of the rate, as on a real link.
 */
final class Bottleneck {
    private final long bitsPerSecond;
    private long freeAt = Long.MIN_VALUE; // System.nanoTime() when the last byte handed over has left

    /** @param bitsPerSecond 0 for no rate limit: bytes leave as soon as they are handed over */
    Bottleneck(long bitsPerSecond) {
        this.bitsPerSecond = bitsPerSecond;
    }

    /** When {@code bytes} handed over at {@code now} (nanoTime) have left: after the bytes before them. */
    synchronized long transmit(long now, int bytes) {
        if (bitsPerSecond == 0) {
            return now;
        }
        freeAt = Math.max(now, freeAt) + Math.round(bytes * 8e9 / bitsPerSecond);
        return freeAt;
    }

    /** Bytes per millisecond at this rate, within [min, max]: how much the relay delivers at a time. */
    int segment(int min, int max) {
        return bitsPerSecond == 0 ? max : (int) Math.max(min, Math.min(max, bitsPerSecond / 8_000));
    }
}

package inferbench.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of one connection through the link. A reader thread takes what one side writes
 * and stamps each chunk with its delivery time: when the {@link Bottleneck} has sent it, plus
 * the one-way delay, plus jitter, and never before the chunk ahead of it (so nothing is
 * reordered). A writer thread hands each chunk to the other side at that time.
 *
 * <p>A line holds at most {@link #MAX_HELD} bytes that have been read and not yet delivered: the
 * link's buffer. Beyond it the reader stops reading, the kernel's buffers fill up, and the
 * sender's writes block, as TCP's flow control would make them.
 */
final class DelayLine {
    /** Per line; without a rate limit it also caps the line at 4 MiB per one-way delay. */
    static final int MAX_HELD = 4 << 20;
    /** One TCP segment: the least a slow link delivers at a time. */
    private static final int MIN_SEGMENT = 1460;
    /** What one read takes at most: all that waits, so a reader late on a busy machine does not idle the link. */
    private static final int MAX_READ = 64 * 1024;

    /** Part of what one read took; {@code length} -1 is the end of the stream. */
    private record Chunk(byte[] bytes, int offset, int length, long deliverAt) {
    }

    private final Socket from;
    private final Socket to;
    private final Bottleneck bottleneck;
    private final long delayNanos;
    private final long jitterNanos;
    private final long notBefore;
    private final Runnable onEnd;
    private final Runnable onFailure;
    private final Semaphore held = new Semaphore(MAX_HELD);
    private final BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
    private final SplittableRandom random = new SplittableRandom();
    private long lastDelivery = Long.MIN_VALUE;

    /**
     * @param notBefore nanoTime before which nothing counts as sent: a new connection's client may
     *                  write at once on loopback, but on the link its connect takes a round trip
     * @param onEnd     run once the end of the stream has been passed on
     * @param onFailure run when either socket fails; it closes both
     */
    DelayLine(Socket from, Socket to, Bottleneck bottleneck, long delayNanos, long jitterNanos, long notBefore,
              Runnable onEnd, Runnable onFailure) {
        this.from = from;
        this.to = to;
        this.bottleneck = bottleneck;
        this.delayNanos = delayNanos;
        this.jitterNanos = jitterNanos;
        this.notBefore = notBefore;
        this.onEnd = onEnd;
        this.onFailure = onFailure;
    }

    void start(Executor threads) {
        threads.execute(this::read);
        threads.execute(this::write);
    }

    /**
     * Reads all that waits (up to {@link #MAX_READ}) and cuts it into segments of about a
     * millisecond at the link's rate, each sent after the one before it and delivered on its own,
     * so the receiver gets a slow link's bytes bit by bit.
     */
    private void read() {
        int segment = bottleneck.segment(MIN_SEGMENT, MAX_READ);
        try {
            InputStream in = from.getInputStream();
            while (true) {
                held.acquire(MAX_READ);
                byte[] bytes = new byte[MAX_READ];
                int n = in.read(bytes);
                long now = System.nanoTime();
                if (n < 0) {
                    held.release(MAX_READ);
                    chunks.put(new Chunk(null, 0, -1, deliveryTime(now)));
                    return;
                }
                held.release(MAX_READ - n);
                for (int at = 0; at < n; at += segment) {
                    int length = Math.min(segment, n - at);
                    long sent = bottleneck.transmit(Math.max(now, notBefore), length);
                    chunks.put(new Chunk(bytes, at, length, deliveryTime(sent)));
                }
            }
        } catch (IOException e) {
            onFailure.run();
            chunks.add(new Chunk(null, 0, -1, System.nanoTime())); // lets the writer end
        } catch (InterruptedException e) {
            // the relay is closing
        }
    }

    /** Sent at {@code sentAt}, it arrives half a round trip later, give or take the jitter, in order. */
    private long deliveryTime(long sentAt) {
        long jitter = jitterNanos == 0 ? 0 : random.nextLong(-jitterNanos, jitterNanos + 1);
        lastDelivery = Math.max(lastDelivery, sentAt + Math.max(0, delayNanos + jitter));
        return lastDelivery;
    }

    private void write() {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Chunk chunk = chunks.take();
                for (long wait; (wait = chunk.deliverAt() - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait);
                    if (Thread.interrupted()) {
                        return;
                    }
                }
                if (chunk.length() < 0) {
                    to.shutdownOutput();
                    onEnd.run();
                    return;
                }
                out.write(chunk.bytes(), chunk.offset(), chunk.length());
                held.release(chunk.length());
            }
        } catch (IOException e) {
            onFailure.run();
            held.release(MAX_HELD); // the reader may wait for room that no write will make now
        } catch (InterruptedException e) {
            // the relay is closing
        }
    }
}

package inferbench.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Keeps N requests in flight: N threads, each with its own {@link Sender}, each sending the
 * next request as soon as its previous answer arrives (a closed loop, like N cameras that
 * wait for each reply).
 *
 * <p>Requests are handed out as numbered tickets from one counter, so the total is exact
 * whatever the thread count, and the ticket picks the frame. A cell measured for a time
 * instead hands out tickets until the time is up, and the requests still in flight then
 * count too: dropping them would cut the slowest out of the percentiles. The warm-up runs on
 * the same senders (connections are open and the JIT is warm when counting starts); a latch
 * makes sure no warm-up request overlaps the measured ones, and the clock starts when the
 * threads pass it together.
 */
final class LoadRunner {
    /** Generous: a healthy cell takes seconds; this only turns a hung server into an error. */
    private static final Duration BASE_LIMIT = Duration.ofSeconds(60);
    private static final Duration PER_REQUEST_LIMIT = Duration.ofSeconds(2);

    private LoadRunner() {
    }

    /** The measured requests (index = ticket) and the wall-clock time they took together. */
    record Run(List<Sample> samples, long elapsedNanos) {
    }

    /** Measures exactly {@code requests} requests. */
    static Run run(Sender.Factory senders, int threads, int warmup, int requests) throws InterruptedException {
        return run(senders, threads, warmup, requests, () -> { });
    }

    /** Measures exactly {@code requests} requests; {@code counting} runs after the warm-up, before the first. */
    static Run run(Sender.Factory senders, int threads, int warmup, int requests, Runnable counting)
            throws InterruptedException {
        return run(senders, threads, warmup, requests, Long.MAX_VALUE,
                BASE_LIMIT.plus(PER_REQUEST_LIMIT.multipliedBy(warmup + (long) requests)), counting);
    }

    /** Measures every request started within {@code time} of the first measured one. */
    static Run runFor(Sender.Factory senders, int threads, int warmup, Duration time, Runnable counting)
            throws InterruptedException {
        return run(senders, threads, warmup, Integer.MAX_VALUE, time.toNanos(),
                BASE_LIMIT.plus(PER_REQUEST_LIMIT.multipliedBy(warmup)).plus(time), counting);
    }

    private static Run run(Sender.Factory senders, int threads, int warmup, int requests, long measureNanos,
                           Duration limit, Runnable counting) throws InterruptedException {
        AtomicInteger warmupTickets = new AtomicInteger();
        AtomicInteger tickets = new AtomicInteger();
        AtomicLong start = new AtomicLong();
        AtomicLong end = new AtomicLong();
        Map<Integer, Sample> samples = new ConcurrentHashMap<>();
        CountDownLatch warmedUp = new CountDownLatch(threads);
        AtomicInteger first = new AtomicInteger();
        CountDownLatch counted = new CountDownLatch(1);

        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "bench-load");
            thread.setDaemon(true); // a hung request must not keep the JVM alive after the error
            return thread;
        });
        AtomicReference<Exception> failure = new AtomicReference<>();
        for (int i = 0; i < threads; i++) {
            pool.execute(() -> {
                try (Sender sender = senders.open()) {
                    for (int t = warmupTickets.getAndIncrement(); t < warmup; t = warmupTickets.getAndIncrement()) {
                        timed(sender, t);
                    }
                    warmedUp.countDown();
                    warmedUp.await();
                    if (first.getAndIncrement() == 0) {
                        try {
                            counting.run(); // with no request in flight: the last warm-up has been answered
                        } finally {
                            counted.countDown();
                        }
                    }
                    counted.await();
                    if (failure.get() != null) {
                        return;
                    }
                    start.compareAndSet(0, System.nanoTime()); // the first thread through starts the clock
                    while (System.nanoTime() - start.get() < measureNanos) {
                        int t = tickets.getAndIncrement();
                        if (t >= requests) {
                            break;
                        }
                        samples.put(t, timed(sender, t));
                    }
                    end.accumulateAndGet(System.nanoTime(), Math::max);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    warmedUp.countDown(); // the others must not wait for this thread; they stop at the check
                }
            });
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(limit.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the load did not finish within " + limit.toSeconds()
                        + " s: is the server hung?");
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a load thread failed: " + failure.get(), failure.get());
        }
        // Every ticket handed out was sent and has its sample, so the tickets run from 0 without gaps.
        return new Run(IntStream.range(0, samples.size()).mapToObj(samples::get).toList(), end.get() - start.get());
    }

    /** A request that throws is a failed sample, not a failed run: the other requests still count. */
    static Sample timed(Sender sender, int ticket) {
        long begin = System.nanoTime();
        try {
            Sender.Answer answer = sender.send(ticket);
            double ms = (System.nanoTime() - begin) / 1e6;
            return new Sample(ms, answer.serverMs(), answer.requestBytes(), answer.replyBytes(), answer.error(),
                    answer.wrong());
        } catch (Exception e) {
            return Sample.failed((System.nanoTime() - begin) / 1e6, String.valueOf(e));
        }
    }
}

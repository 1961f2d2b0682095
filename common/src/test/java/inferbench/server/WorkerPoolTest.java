package inferbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerPoolTest {
    private static final Duration TEST_GRACE = Duration.ofSeconds(10);

    @Test
    void admitsWorkersPlusQueueTasksThenRefusesAtOnceUntilOneFinishes() throws Exception {
        WorkerPool pool = new WorkerPool(1, 1, "test-worker-");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(2);
        Runnable held = () -> {
            awaitQuietly(release);
            finished.countDown();
        };
        try {
            assertTrue(submitted(pool, held), "the worker");
            assertTrue(submitted(pool, held), "the queue place");
            assertFalse(submitted(pool, () -> { }), "a third task while both are taken");
            assertEquals(2, pool.inFlight());

            release.countDown();
            assertTrue(finished.await(10, TimeUnit.SECONDS));
            CountDownLatch ranAgain = new CountDownLatch(1);
            assertTrue(submitted(pool, ranAgain::countDown), "a place is free again");
            assertTrue(ranAgain.await(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdown(TEST_GRACE);
        }
    }

    /**
     * The race a plain ThreadPoolExecutor loses: an idle worker, then two tasks at once. Both
     * must be admitted (one runs, one waits) and only the third refused, every time.
     */
    @Test
    void admitsExactlyWorkersPlusQueueTasksEvenWhenTheyArriveTogether() throws Exception {
        for (int round = 0; round < 200; round++) {
            WorkerPool pool = new WorkerPool(1, 1, "test-worker-");
            CountDownLatch release = new CountDownLatch(1);
            try {
                assertTrue(submitted(pool, () -> { })); // the worker thread now exists and goes idle
                while (pool.inFlight() != 0) {
                    Thread.sleep(1); // bounded by the class timeout
                }
                Runnable held = () -> awaitQuietly(release);
                assertTrue(submitted(pool, held), "round " + round + ": the idle worker");
                assertTrue(submitted(pool, held), "round " + round + ": the queue place");
                assertFalse(submitted(pool, () -> { }), "round " + round + ": the third task");
                assertEquals(2, pool.inFlight(), "round " + round);
            } finally {
                release.countDown();
                assertTrue(pool.shutdown(TEST_GRACE));
            }
        }
    }

    /**
     * The place is free again before the caller learns the result: a closed-loop client that
     * sends its next request as soon as it has the last answer never finds the pool full.
     */
    @Test
    void givesThePlaceBackBeforeTheResultIsHandedOn() throws Exception {
        WorkerPool pool = new WorkerPool(1, 0, "test-worker-");
        try {
            for (int round = 0; round < 200; round++) {
                CompletableFuture<Integer> answer = pool.trySubmit(() -> 42).orElseThrow();
                CompletableFuture<Optional<CompletableFuture<Integer>>> next =
                        answer.thenApply(result -> pool.trySubmit(() -> result + 1));
                assertEquals(43, next.get(10, TimeUnit.SECONDS).orElseThrow().get(10, TimeUnit.SECONDS),
                        "round " + round + ": the next request was admitted");
            }
        } finally {
            pool.shutdown(TEST_GRACE);
        }
    }

    @Test
    void aFailedTaskGivesItsPlaceBackAndFailsItsFuture() throws Exception {
        WorkerPool pool = new WorkerPool(1, 0, "test-worker-");
        try {
            CompletableFuture<Object> failed = pool.trySubmit(() -> {
                throw new IllegalStateException("boom");
            }).orElseThrow();
            ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
            assertEquals("boom", e.getCause().getMessage());
            assertEquals(7, pool.trySubmit(() -> 7).orElseThrow().get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdown(TEST_GRACE);
        }
    }

    @Test
    void runsTasksOnThreadsNamedWithTheGivenPrefix() throws Exception {
        WorkerPool pool = new WorkerPool(1, 0, "grpc-worker-");
        StringBuilder name = new StringBuilder();
        CountDownLatch ran = new CountDownLatch(1);
        assertTrue(submitted(pool, () -> {
            name.append(Thread.currentThread().getName());
            ran.countDown();
        }));
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertEquals("grpc-worker-1", name.toString());
        pool.shutdown(TEST_GRACE);
    }

    @Test
    void shutdownLetsAdmittedTasksFinishAndRefusesNewOnes() throws Exception {
        WorkerPool pool = new WorkerPool(1, 1, "test-worker-");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        assertTrue(submitted(pool, () -> {
            started.countDown();
            awaitQuietly(release);
        }));
        assertTrue(submitted(pool, () -> queuedRan.set(true)));
        assertTrue(started.await(10, TimeUnit.SECONDS));

        CompletableFuture<Boolean> stop = CompletableFuture.supplyAsync(() -> pool.shutdown(TEST_GRACE));
        assertFalse(stop.isDone(), "the stop waits while a task runs");
        release.countDown();
        assertTrue(stop.get(30, TimeUnit.SECONDS), "both admitted tasks finished within the grace period");
        assertTrue(queuedRan.get(), "the queued task ran too");
        assertFalse(submitted(pool, () -> { }));
        assertEquals(0, pool.inFlight());
    }

    @Test
    void shutdownInterruptsATaskStillRunningAfterTheGraceAndSaysSo() throws Exception {
        WorkerPool pool = new WorkerPool(1, 0, "test-worker-");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        assertTrue(submitted(pool, () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // never released
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertFalse(pool.shutdown(Duration.ZERO));
        assertTrue(interrupted.await(10, TimeUnit.SECONDS));
    }

    @Test
    void theBusyMessageSaysHowManyWorkersAndQueuePlacesThereAre() {
        assertEquals("server busy: every worker (2) and queue place (4) is taken; retry shortly",
                new WorkerPool(2, 4, "test-worker-").busyMessage());
    }

    private static boolean submitted(WorkerPool pool, Runnable task) {
        return pool.trySubmit(Executors.callable(task)).isPresent();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

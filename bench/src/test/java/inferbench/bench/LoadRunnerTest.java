package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoadRunnerTest {

    /** An in-memory sender that records which tickets it was given, and reports 2 ms of server time. */
    private static final class Recording implements Sender {
        final Set<Integer> tickets;
        final AtomicInteger opened;
        final AtomicInteger closed;

        Recording(Set<Integer> tickets, AtomicInteger opened, AtomicInteger closed) {
            this.tickets = tickets;
            this.opened = opened;
            this.closed = closed;
            opened.incrementAndGet();
        }

        @Override
        public Answer send(int ticket) {
            tickets.add(ticket);
            return new Answer(2, 10, 20, "", "");
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void measuresExactlyTheRequestedCountAfterAnUncountedWarmUp() throws Exception {
        AtomicInteger sends = new AtomicInteger();

        LoadRunner.Run run = LoadRunner.run(() -> ticket -> {
            sends.incrementAndGet();
            return new Sender.Answer(2, 10, 20, "", "");
        }, 4, 7, 50);

        assertEquals(50, run.samples().size());
        assertEquals(57, sends.get());
        assertTrue(run.samples().stream().allMatch(Sample::correct));
        assertTrue(run.elapsedNanos() > 0);
    }

    @Test
    void aTimedCellLastsItsTimeAndCountsEveryRequestStartedInIt() throws Exception {
        AtomicInteger sends = new AtomicInteger();
        Duration time = Duration.ofMillis(300);

        LoadRunner.Run run = LoadRunner.runFor(() -> ticket -> {
            sends.incrementAndGet();
            Thread.sleep(5);
            return new Sender.Answer(2, 10, 20, "", "");
        }, 3, 4, time);

        assertEquals(sends.get() - 4, run.samples().size());
        assertTrue(run.samples().stream().allMatch(Sample::correct));
        assertTrue(run.elapsedNanos() >= time.toNanos(), run.elapsedNanos() + " ns");
    }

    @Test
    void givesEveryMeasuredTicketOnceAndOpensAndClosesOneSenderPerThread() throws Exception {
        Set<Integer> tickets = ConcurrentHashMap.newKeySet();
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();

        LoadRunner.run(() -> new Recording(tickets, opened, closed), 3, 0, 30);

        assertEquals(30, tickets.size());
        assertTrue(tickets.containsAll(java.util.stream.IntStream.range(0, 30).boxed().toList()));
        assertEquals(3, opened.get());
        assertEquals(3, closed.get());
    }

    @Test
    void aRequestThatThrowsIsAFailedSampleAndTheOthersStillCount() throws Exception {
        LoadRunner.Run run = LoadRunner.run(() -> ticket -> {
            if (ticket == 3) {
                throw new java.io.IOException("connection reset");
            }
            return new Sender.Answer(2, 10, 20, "", "");
        }, 2, 0, 10);

        assertEquals(9, run.samples().stream().filter(Sample::correct).count());
        assertFalse(run.samples().get(3).correct());
        assertTrue(run.samples().get(3).error().contains("connection reset"));
    }

    @Test
    void aSenderThatCannotOpenFailsTheRunWithItsReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LoadRunner.run(() -> {
            throw new java.io.IOException("no such host");
        }, 2, 1, 5));

        assertTrue(e.getMessage().contains("no such host"), e.getMessage());
    }

    @Test
    void oneThreadThatCannotOpenDoesNotLeaveTheOthersWaitingForIt() {
        AtomicInteger opens = new AtomicInteger();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LoadRunner.run(() -> {
            if (opens.incrementAndGet() == 3) {
                throw new java.io.IOException("connection refused");
            }
            return ticket -> new Sender.Answer(2, 10, 20, "", "");
        }, 4, 2, 20));

        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    }
}

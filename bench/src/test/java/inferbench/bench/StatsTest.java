package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatsTest {
    private static final double EXACT = 1e-9;

    @Test
    void percentilesOfOneToHundredInterpolateBetweenRanks() {
        Stats stats = Stats.of(IntStream.rangeClosed(1, 100).asDoubleStream().toArray());

        assertEquals(100, stats.count());
        assertEquals(50.5, stats.p50(), EXACT);
        assertEquals(90.1, stats.p90(), EXACT);
        assertEquals(99.01, stats.p99(), EXACT);
        assertEquals(100, stats.max(), EXACT);
    }

    @Test
    void medianOfAnOddCountIsTheMiddleValueWhateverTheInputOrder() {
        assertEquals(3, Stats.median(new double[] {5, 1, 4, 2, 3}), EXACT);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(25, Stats.median(new double[] {40, 10, 30, 20}), EXACT);
    }

    @Test
    void everyPercentileOfOneValueIsThatValue() {
        Stats stats = Stats.of(new double[] {7.5});

        assertEquals(7.5, stats.p50(), EXACT);
        assertEquals(7.5, stats.p99(), EXACT);
        assertEquals(7.5, stats.max(), EXACT);
    }

    @Test
    void aSingleSlowRequestShowsInP99AndMaxButNotInTheMedian() {
        double[] values = new double[100];
        java.util.Arrays.fill(values, 10);
        values[42] = 1000;

        Stats stats = Stats.of(values);

        assertEquals(10, stats.p50(), EXACT);
        assertEquals(10 + 0.01 * 990, stats.p99(), EXACT); // rank 98.01: 1% of the way to the slow one
        assertEquals(1000, stats.max(), EXACT);
    }

    @Test
    void summarisingDoesNotReorderTheCallersArray() {
        double[] values = {3, 1, 2};

        Stats.of(values);

        assertEquals(3, values[0], EXACT);
    }

    @Test
    void noValuesGiveAnEmptySummaryWithNaNs() {
        Stats stats = Stats.of(new double[0]);

        assertEquals(0, stats.count());
        assertTrue(Double.isNaN(stats.p50()));
    }

    @Test
    void aPercentileOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(new double[] {1}, 1.5));
    }

    @Test
    void throughputIsRequestsOverElapsedSeconds() {
        assertEquals(50, Stats.throughput(200, 4_000_000_000L), EXACT);
        assertEquals(2.5, Stats.throughput(5, 2_000_000_000L), EXACT);
    }

    @Test
    void throughputOfNoElapsedTimeIsZeroRatherThanInfinite() {
        assertEquals(0, Stats.throughput(10, 0), EXACT);
    }
}

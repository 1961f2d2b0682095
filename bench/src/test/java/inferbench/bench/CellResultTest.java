package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class CellResultTest {
    private static final double EXACT = 1e-9;
    private static final FrameSize SIZE = FrameSize.WEBCAM;
    private static final String SET = FrameSets.DEFAULT;

    @Test
    void overheadIsTheMedianOfPerRequestDifferencesNotTheDifferenceOfMedians() {
        LoadRunner.Run run = new LoadRunner.Run(List.of(ok(10, 9), ok(20, 5), ok(30, 29)), 1_000_000_000L);

        CellResult cell = CellResult.of("REST multipart", SET, SIZE, 1, 1, run);

        assertEquals(1, cell.overheadP50(), EXACT); // differences 1, 15, 1; medians' difference would be 11
        assertEquals(20, cell.endToEnd().p50(), EXACT);
        assertEquals(9, cell.serverP50(), EXACT);
    }

    @Test
    void throughputCountsSuccessfulRequestsOverTheCellsWallClockTime() {
        LoadRunner.Run run = new LoadRunner.Run(List.of(ok(10, 9), ok(10, 9), ok(10, 9), failed()), 2_000_000_000L);

        CellResult cell = CellResult.of("gRPC unary", SET, SIZE, 2, 2, run);

        assertEquals(1.5, cell.throughput(), EXACT);
        assertEquals(4, cell.requests());
        assertEquals(1, cell.errors());
        assertEquals("connection refused", cell.firstError());
    }

    @Test
    void wrongAnswersHaveTheirOwnCountAndAreLeftOutOfThroughputAndLatency() {
        Sample fastButWrong = new Sample(1, 0.5, 100_000, 150, "", "wrong answer for the face frame: 0 faces");
        LoadRunner.Run run = new LoadRunner.Run(List.of(ok(10, 9), fastButWrong, fastButWrong, failed()),
                1_000_000_000L);

        CellResult cell = CellResult.of("REST multipart", SET, SIZE, 1, 1, run);

        assertEquals(4, cell.requests());
        assertEquals(1, cell.errors());
        assertEquals(2, cell.wrong());
        assertEquals(1.0, cell.throughput(), EXACT);
        assertEquals(10, cell.endToEnd().p50(), EXACT);
        assertEquals(1, cell.endToEnd().count());
        assertEquals("wrong answer for the face frame: 0 faces", cell.firstWrong());
        assertFalse(cell.clean());
    }

    @Test
    void failedRequestsAreLeftOutOfTheLatencyFigures() {
        LoadRunner.Run run = new LoadRunner.Run(List.of(ok(10, 9), failed()), 1_000_000_000L);

        CellResult cell = CellResult.of("gRPC stream", SET, SIZE, 1, 1, run);

        assertEquals(10, cell.endToEnd().max(), EXACT);
        assertEquals(1, cell.endToEnd().count());
    }

    @Test
    void bytesArePerRequestMeans() {
        LoadRunner.Run run = new LoadRunner.Run(List.of(
                new Sample(10, 9, 1000, 100, "", ""), new Sample(10, 9, 3000, 300, "", "")), 1_000_000_000L);

        CellResult cell = CellResult.of("REST raw JPEG", SET, SIZE, 1, 1, run);

        assertEquals(2000, cell.requestBytes(), EXACT);
        assertEquals(200, cell.replyBytes(), EXACT);
    }

    @Test
    void theRatioToTheFloorDividesThroughputs() {
        LoadRunner.Run served = new LoadRunner.Run(List.of(ok(10, 9), ok(10, 9), ok(10, 9)), 1_000_000_000L);
        LoadRunner.Run floor = new LoadRunner.Run(List.of(ok(9, 9), ok(9, 9), ok(9, 9), ok(9, 9)), 1_000_000_000L);

        double ratio = CellResult.of("gRPC unary", SET, SIZE, 4, 4, served)
                .ratioTo(CellResult.of(CellResult.FLOOR, SET, SIZE, 4, 2, floor));

        assertEquals(0.75, ratio, EXACT);
    }

    private static Sample ok(double endToEndMs, double serverMs) {
        return new Sample(endToEndMs, serverMs, 100_000, 150, "", "");
    }

    private static Sample failed() {
        return Sample.failed(5000, "connection refused");
    }
}

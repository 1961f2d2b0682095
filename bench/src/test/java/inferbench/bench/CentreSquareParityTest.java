package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.ParityFrames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CentreSquareParityTest {
    /** Four parity frames of every size on which the square and the whole frame agree; all 24: the report. */
    private static final List<String> AGREE = List.of("p01-00-640x480-q95.jpg", "p01-03-1280x720-q80.jpg",
            "p01-14-1920x1080-q95.jpg", "p01-15-640x480-q80.jpg");

    @Test
    void theSquareIsThePartThePipelineLooksAtSoItsAnswerIsTheWholeFramesInFewerBytes(@TempDir Path storage) {
        Floor floor = Floor.of(List.of(), 1, storage, false, false);
        List<ParityFrames.Frame> frames = ParityFrames.all().stream().filter(f -> AGREE.contains(f.name())).toList();

        List<CentreSquareParity.Row> rows = CentreSquareParity.measure(frames, floor::answer);

        assertEquals(AGREE, rows.stream().map(CentreSquareParity.Row::name).toList());
        for (CentreSquareParity.Row row : rows) {
            assertEquals("", row.squareDiffers(), row.name());
            assertTrue(row.squareBytes() < row.wholeBytes(), row.toString());
        }
        assertTrue(CentreSquareParity.markdown(rows).contains("the square's answer differs from the whole frame's"
                + " on 0: a box moved on 0, a face more or fewer on 0."), CentreSquareParity.markdown(rows));
    }
}

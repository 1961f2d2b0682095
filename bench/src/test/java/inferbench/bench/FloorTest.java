package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import inferbench.pipeline.Box;
import inferbench.pipeline.DecodeMode;
import inferbench.samples.ParityFrames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorTest {
    /** A crowd frame on which the approximate decode finds four faces where the original found three. */
    private static final ParityFrames.Frame CROWD = ParityFrames.all().stream()
            .filter(f -> f.name().equals("p01-05-640x480-q80.jpg")).findFirst().orElseThrow();

    @Test
    void expectsTheOriginalsAnswerEvenWhenTheServersDecodeApproximately(@TempDir Path storage) {
        Floor floor = Floor.of(List.of("--decode", "approximate"), 1, storage, false, false);

        assertEquals(DecodeMode.APPROXIMATE, floor.decode());
        assertEquals("", CROWD.mismatch(coords(floor.answer(CROWD.jpeg()).boxes())));
    }

    @Test
    void expectsTheServersOwnAnswerWhenAskedTo(@TempDir Path storage) {
        Floor floor = Floor.of(List.of("--decode", "approximate"), 1, storage, false, true);

        assertNotEquals("", CROWD.mismatch(coords(floor.answer(CROWD.jpeg()).boxes())));
    }

    private static List<float[]> coords(List<Box> boxes) {
        return boxes.stream().map(b -> new float[] {b.x(), b.y(), b.w(), b.h()}).toList();
    }
}

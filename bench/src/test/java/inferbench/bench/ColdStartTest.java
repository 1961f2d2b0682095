package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColdStartTest {

    @Test
    void blocksDoubleFromTheFirstCallAndTheLastTakesWhatIsLeft() {
        List<Sample> samples = new ArrayList<>();
        for (int call = 1; call <= 10; call++) {
            samples.add(new Sample(100 + call, 100, 0, 0, "", ""));
        }

        List<ColdStart.Block> blocks = ColdStart.blocks(samples);

        assertEquals(List.of("1", "2", "3-4", "5-8", "9-10"), blocks.stream().map(ColdStart.Block::label).toList());
        assertEquals(1, blocks.get(0).overheadP50(), 1e-9);
        assertEquals(6.5, blocks.get(3).overheadP50(), 1e-9); // calls 5 to 8: overheads 5, 6, 7, 8
        assertEquals(109.5, blocks.get(4).endToEndP50(), 1e-9);
    }

    @Test
    void aBlockCountsOnlyItsRightAnswers() {
        List<Sample> samples = List.of(new Sample(300, 100, 0, 0, "", ""), new Sample(80, 60, 0, 0, "", ""),
                new Sample(50, 40, 0, 0, "", ""), new Sample(1, 0.5, 0, 0, "", "wrong answer for the face frame: no face"));

        ColdStart.Block threeToFour = ColdStart.blocks(samples).get(2);

        assertEquals("3-4", threeToFour.label());
        assertEquals(10, threeToFour.overheadP50(), 1e-9);
        assertEquals(50, threeToFour.endToEndP50(), 1e-9);
    }
}

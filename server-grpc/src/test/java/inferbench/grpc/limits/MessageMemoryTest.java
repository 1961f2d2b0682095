package inferbench.grpc.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("limits")
class MessageMemoryTest {
    private final MessageMemory<String> memory = new MessageMemory<>(1000);

    @Test
    void keepsEveryMessageWithinTheLimit() {
        assertEquals(List.of(), memory.add("a", 400));
        assertEquals(List.of(), memory.add("b", 400));
        assertEquals(List.of(), memory.add("a", 200));
    }

    @Test
    void endsTheMessagesArrivingTheLongestFirstWhateverTheirSize() {
        memory.add("stalled small", 100);
        memory.add("stalled large", 500);
        memory.add("fresh", 300);
        assertEquals(List.of("stalled small"), memory.add("fresh", 200), "1100 bytes: the oldest goes");
        assertEquals(List.of("stalled large"), memory.add("newest", 500), "1500 bytes: the next oldest");
    }

    @Test
    void aMessageHandedOverNoLongerCountsAndOneEndedIsNotCountedAgain() {
        memory.add("a", 900);
        memory.release("a");
        assertEquals(List.of(), memory.add("b", 900));
        assertEquals(List.of("b"), memory.add("c", 200));
        assertEquals(List.of(), memory.add("b", 5000), "b is being ended: its late bytes are not counted");
        memory.forget("b");
        assertEquals(List.of(), memory.add("d", 700));
    }

    @Test
    void aMessageStartedAgainAfterItsHandOverIsTheNewest() {
        memory.add("stream", 300);
        memory.add("other", 300);
        memory.release("stream");   // its frame is complete
        memory.add("stream", 300);  // and the next one begins
        assertEquals(List.of("other"), memory.add("stream", 500));
    }
}

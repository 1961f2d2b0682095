package inferbench.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientErrorLogTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private final Lines out = new Lines();
    private final ClientErrorLog log = new ClientErrorLog(out.stream(), "server-grpc: ", INTERVAL);

    @Test
    void writesOneLinePerKindPerIntervalAndCountsTheRestOnTheNextLine() throws Exception {
        for (int i = 0; i < 5; i++) {
            log.report("late", "call " + i + " was late");
        }
        log.report("malformed", "call 9 was malformed");
        Thread.sleep(INTERVAL.toMillis() + 50);
        log.report("late", "call 5 was late");

        assertEquals(List.of(
                "server-grpc: client error: call 0 was late",
                "server-grpc: client error: call 9 was malformed",
                "server-grpc: client error: call 5 was late (4 more like it since the last such line, not shown)"),
                out.lines());
    }
}

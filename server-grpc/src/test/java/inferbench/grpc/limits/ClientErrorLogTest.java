package inferbench.grpc.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("limits")
class ClientErrorLogTest {
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final MovableClock clock = new MovableClock();
    private final ClientErrorLog log = new ClientErrorLog(new PrintStream(out, true, StandardCharsets.UTF_8),
            "server-grpc: ", INTERVAL, clock);

    @Test
    void writesOneLinePerKindPerIntervalAndCountsTheRestOnTheNextLine() {
        for (int i = 0; i < 5; i++) {
            log.report("late", "call " + i + " was late");
        }
        log.report("malformed", "call 9 was malformed");
        clock.now = clock.now.plus(INTERVAL);
        log.report("late", "call 5 was late");

        assertEquals(List.of(
                "server-grpc: client error: call 0 was late",
                "server-grpc: client error: call 9 was malformed",
                "server-grpc: client error: call 5 was late (4 more like it since the last such line, not shown)"),
                out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** A clock the test moves, instead of sleeping for the interval. */
    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the log reads only the instant");
        }
    }
}

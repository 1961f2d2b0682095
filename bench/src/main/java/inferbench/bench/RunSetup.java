package inferbench.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the report states about how a run was made, besides its results.
 *
 * @param command   the command line that reproduces the run
 * @param servers   per server name, where it was reached ("started: ..." or the given address)
 * @param startup   per started server, the time from launch to health OK
 * @param frames    the frames sent, per size
 */
public record RunSetup(String command, Instant started, Machine machine, BenchOptions options,
                       Map<String, String> servers, Map<String, Duration> startup, List<Frames> frames) {
}

package inferbench.bench;

import inferbench.pipeline.DecodeMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything the report states about how a run was made, besides its results.
 *
 * @param command        the command line that reproduces the run
 * @param servers        per server name, where it was reached ("started: ..." or the given address)
 * @param startup        per started server, the time from launch to health OK
 * @param serversStarted true when the benchmark started the servers, so it knows their settings
 * @param decode         how the servers started with the run's options decode (the floor's too)
 * @param frames         the frames sent, per set and size, in the order measured
 * @param probes         per transport asked for, whether the servers offer it
 */
public record RunSetup(String command, Instant started, Machine machine, BenchOptions options,
                       Map<String, String> servers, Map<String, Duration> startup, boolean serversStarted,
                       DecodeMode decode, List<Frames> frames, List<TransportProbe.Result> probes) {
}

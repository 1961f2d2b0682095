package inferbench.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server the benchmark runs as a separate JVM ({@code java -jar}), as it would be deployed:
 * launch, wait until healthy, read its memory, stop.
 *
 * <p>Its output goes to a log file, shown in the error when it fails to start.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** USER_HZ: what Linux counts /proc's CPU times in, 100 on every mainstream architecture. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final Path log;
    private final long launchedNanos;

    private ServerProcess(String name, Process process, Path log, long launchedNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.launchedNanos = launchedNanos;
    }

    /** Runs {@code java [jvmOptions] -jar jar [args]} with the JVM running this benchmark. */
    static ServerProcess launch(String name, Path jar, List<String> jvmOptions, List<String> args, Path log)
            throws IOException {
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(name + " server jar " + jar + " not found: run `make build`"
                    + " (or point --" + name.toLowerCase(Locale.ROOT) + "-jar at it)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(args);
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new ServerProcess(name, process, log, launched);
    }

    /**
     * Polls until the probe says healthy and returns the time from launch; fails if the process
     * exits or the limit passes.
     */
    Duration awaitHealthy(BooleanSupplier probe, Duration limit) throws InterruptedException {
        long deadline = launchedNanos + limit.toNanos();
        while (true) {
            if (probe.getAsBoolean()) {
                return Duration.ofNanos(System.nanoTime() - launchedNanos);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " server exited with status " + process.exitValue()
                        + " before it was healthy; its output:\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " server was not healthy within " + limit.toSeconds()
                        + " s; its output:\n" + logTail());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Resident memory of the server process (Java heap, native Mats and all), from /proc. */
    long rssKb() {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status + " (RSS is read from Linux /proc)", e);
        }
        throw new IllegalStateException("no VmRSS line in " + status);
    }

    /**
     * CPU time the server process has used so far, user and system, all its threads (those that
     * ended too), from /proc: in milliseconds, counted in the kernel's clock ticks (USER_HZ, 100
     * a second on Linux), so differences over many requests are what to read.
     */
    double cpuMillis() {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String line = Files.readString(stat);
            // the command name, in parentheses, may hold spaces: fields are counted after it
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime: fields 14 and 15
            return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat + " (CPU time is read from Linux /proc)", e);
        }
    }

    /** Asks the server to stop (its shutdown hook runs), then kills it if it does not. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A port that was free a moment ago. The server binds it itself right after; on a loopback
     * benchmark machine the small window for another process to take it is acceptable.
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}

package inferbench.grpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gRPC server's main in a JVM of its own, as {@code java -jar server-grpc.jar} runs it, so a
 * test can measure the server process's memory (its resident set) apart from the test's own.
 */
final class ChildServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final int port;
    /** Everything the server printed, both streams, a line at a time. */
    final BlockingQueue<String> output = new LinkedBlockingQueue<>();

    private ChildServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the server with these flags (plus port 0, loopback, and the storage directory). */
    static ChildServer start(Path storage, List<String> jvmOptions, String... flags) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), GrpcServerMain.class.getName(),
                "--port", "0", "--bind", "127.0.0.1", "--storage", storage.toString()));
        command.addAll(List.of(flags));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "child-server-output");
        pump.setDaemon(true);
        pump.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    ChildServer server = new ChildServer(process, Integer.parseInt(m.group(1)));
                    server.output.addAll(lines);
                    lines.clear();
                    Thread forward = new Thread(() -> {
                        try {
                            while (true) {
                                server.output.add(lines.take());
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "child-server-lines");
                    forward.setDaemon(true);
                    forward.start();
                    return server;
                }
            } else if (!process.isAlive()) {
                break;
            }
        }
        process.destroyForcibly();
        throw new IOException("the server did not start: " + lines);
    }

    /** The process's resident set size, in bytes (Linux). */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + process.pid());
    }

    /** Asks the server to stop as a supervisor does (SIGTERM) and returns its exit status. */
    int stop(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}

package inferbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a run measured, as the report states it: figures mean little without it. */
public record Machine(int cores, String cpu, String memory, String os, String jvm) {

    public static Machine current() {
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        String distribution = field(Path.of("/etc/os-release"), "PRETTY_NAME=", null);
        String memKb = field(Path.of("/proc/meminfo"), "MemTotal:", null);
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                field(Path.of("/proc/cpuinfo"), "model name", "unknown CPU (no /proc/cpuinfo)"),
                memKb == null ? "unknown" : String.format(Locale.ROOT, "%.1f GiB",
                        Long.parseLong(memKb.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0),
                distribution == null ? kernel : distribution.replace("\"", "") + ", " + kernel,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    }

    /** The value after the first line starting with {@code key} (and a ':' or '='), or the fallback. */
    private static String field(Path file, String key, String fallback) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    String value = line.substring(key.length());
                    int colon = value.indexOf(':');
                    return (colon >= 0 ? value.substring(colon + 1) : value).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: the report says "unknown"
        }
        return fallback;
    }
}

package inferbench.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the two PNG charts for each frame size: latency percentiles per transport at the
 * lowest concurrency, and throughput against concurrency with the floor.
 *
 * <p>The 1280x720 charts (or the first size's, without it) are {@code latency-c1.png} and
 * {@code throughput.png}; other sizes get their size in the name.
 */
final class Charts {
    /** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
    static final List<Color> SERIES = List.of(new Color(0x00, 0x72, 0xB2), new Color(0xE6, 0x9F, 0x00),
            new Color(0x00, 0x9E, 0x73), new Color(0xD5, 0x5E, 0x00), new Color(0xCC, 0x79, 0xA7),
            new Color(0x56, 0xB4, 0xE9));
    static final Color FLOOR = new Color(0x55, 0x55, 0x55);

    /** The chart files written for one frame size. */
    record Files(Path latency, Path throughput) {
    }

    private Charts() {
    }

    static Map<FrameSize, Files> write(List<CellResult> cells, Path dir, String subtitle) throws IOException {
        List<FrameSize> sizes = Report.sizes(cells);
        FrameSize main = sizes.contains(FrameSize.WEBCAM) ? FrameSize.WEBCAM : sizes.get(0);
        int lowest = cells.stream().mapToInt(CellResult::concurrency).min().orElse(1);
        Map<FrameSize, Files> written = new LinkedHashMap<>();
        for (FrameSize size : sizes) {
            String suffix = size.equals(main) ? "" : "-" + size;
            List<CellResult> ofSize = cells.stream().filter(c -> c.size().equals(size)).toList();
            Files files = new Files(dir.resolve("latency-c" + lowest + suffix + ".png"),
                    dir.resolve("throughput" + suffix + ".png"));
            LatencyChart.draw(ofSize, lowest, size, subtitle).save(files.latency());
            ThroughputChart.draw(ofSize, size, subtitle).save(files.throughput());
            written.put(size, files);
        }
        return written;
    }

    static List<String> servedTransports(List<CellResult> cells) {
        return cells.stream().filter(c -> !c.isFloor()).map(CellResult::transport).distinct().toList();
    }
}

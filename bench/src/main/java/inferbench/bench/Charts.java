package inferbench.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the PNG charts: for each frame set and size, latency percentiles per transport at the
 * lowest concurrency and throughput against concurrency with the floor; and the cold-start
 * curves.
 *
 * <p>The first frame set's charts at 1280x720 (or at the first size, without it) are
 * {@code latency-c1.png} and {@code throughput.png}; the others get the set's and the size's
 * names in theirs.
 */
final class Charts {
    /** Okabe-Ito colours: distinguishable with the common colour-vision deficiencies. */
    static final List<Color> SERIES = List.of(new Color(0x00, 0x72, 0xB2), new Color(0xE6, 0x9F, 0x00),
            new Color(0x00, 0x9E, 0x73), new Color(0xD5, 0x5E, 0x00), new Color(0xCC, 0x79, 0xA7),
            new Color(0x56, 0xB4, 0xE9));
    static final Color FLOOR = new Color(0x55, 0x55, 0x55);
    static final String COLD_START = "cold-start.png";

    /** The chart files written for one frame set at one size. */
    record Files(Path latency, Path throughput) {
    }

    private Charts() {
    }

    /** Writes every chart and returns the files, in the order the report shows them. */
    static List<Path> write(RunSetup setup, Results results, Path dir) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<Frames, Files> entry : files(setup, results.cells(), dir).entrySet()) {
            Frames frames = entry.getKey();
            List<CellResult> cells = results.cells().stream()
                    .filter(c -> c.set().equals(frames.set()) && c.size().equals(frames.size())).toList();
            int lowest = cells.stream().mapToInt(CellResult::concurrency).min().orElse(1);
            String subtitle = subtitle(setup, setup.options().perCell(setup.options().frames().indexOf(frames.set()))
                    + " per cell");
            String title = frames.set() + " frames, " + frames.size() + " JPEG";
            LatencyChart.draw(cells, lowest, title, subtitle).save(entry.getValue().latency());
            ThroughputChart.draw(cells, title, subtitle).save(entry.getValue().throughput());
            written.add(entry.getValue().latency());
            written.add(entry.getValue().throughput());
        }
        List<LinkCell> overLinks = LinkReport.chartCells(results.links(), setup.options().links());
        if (!overLinks.isEmpty()) {
            Path file = dir.resolve(LinkReport.CHART);
            CellResult first = overLinks.get(0).cell();
            LinkChart.draw(overLinks, first.set() + " frames, " + first.size() + " " + overLinks.get(0).sent().label
                    + ", " + first.concurrency() + " in flight", subtitle(setup, "requests per cell in results.md"))
                    .save(file);
            written.add(file);
        }
        if (!results.coldStarts().isEmpty()) {
            Path file = dir.resolve(COLD_START);
            ColdStartChart.draw(results.coldStarts(), Headline.warmCells(setup, results.cells()),
                    subtitle(setup, setup.options().coldCalls() + " calls, one at a time")).save(file);
            written.add(file);
        }
        return written;
    }

    /** Per frame set and size that has cells, its two chart files. */
    static Map<Frames, Files> files(RunSetup setup, List<CellResult> cells, Path dir) {
        List<FrameSize> sizes = setup.options().sizes();
        FrameSize main = sizes.contains(FrameSize.WEBCAM) ? FrameSize.WEBCAM : sizes.get(0);
        Map<Frames, Files> files = new LinkedHashMap<>();
        for (Frames frames : setup.frames()) {
            boolean measured = cells.stream().anyMatch(c -> c.set().equals(frames.set())
                    && c.size().equals(frames.size()));
            if (!measured) {
                continue;
            }
            int index = setup.options().frames().indexOf(frames.set());
            String suffix = (index == 0 ? "" : "-" + slug(frames.set()))
                    + (frames.size().equals(main) ? "" : "-" + frames.size());
            int lowest = cells.stream().filter(c -> c.set().equals(frames.set())).mapToInt(CellResult::concurrency)
                    .min().orElse(1);
            files.put(frames, new Files(dir.resolve("latency-c" + lowest + suffix + ".png"),
                    dir.resolve("throughput" + suffix + ".png")));
        }
        return files;
    }

    /** The machine, and the servers' settings only when the benchmark started them. */
    static String subtitle(RunSetup setup, String perCell) {
        return setup.machine().cores() + " cores, " + setup.machine().cpu() + "; " + perCell + "; "
                + (setup.serversStarted() ? setup.options().workers() + " server workers"
                : "server settings unknown (not started by the benchmark)");
    }

    static List<String> servedTransports(List<CellResult> cells) {
        return cells.stream().filter(c -> !c.isFloor()).map(CellResult::transport).distinct().toList();
    }

    /** A file-name part for a frame set: "busy", or a path's last part in lower case. */
    private static String slug(String set) {
        String name = Path.of(set).getFileName() == null ? set : Path.of(set).getFileName().toString();
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "frames" : slug;
    }
}

package inferbench.bench;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results in one table: what docs/results.md states the verdict with. */
final class Headline {
    private Headline() {
    }

    /**
     * The verdict's figures: per frame set, each transport at 1 and at twice the workers in
     * flight (or at the fewest and the most measured), against the floor, with the wire bytes
     * and the cold start's first call beside them.
     */
    static String markdown(RunSetup setup, Results results) {
        StringBuilder md = new StringBuilder("| frames | transport | in flight | req/s | vs floor | overhead p50 ms"
                + " | errors / wrong | wire B per call (sent / received) | first call after a fresh start, ms |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        List<CellResult> cells = results.cells();
        for (Frames frames : setup.frames()) {
            List<CellResult> ofFrames = cells.stream().filter(c -> c.set().equals(frames.set())
                    && c.size().equals(frames.size())).toList();
            for (int level : headlineLevels(ofFrames, setup.options().workers())) {
                for (CellResult c : Report.ordered(ofFrames)) {
                    if (c.concurrency() != level) {
                        continue;
                    }
                    String wire = results.wire().stream().filter(w -> w.transport().equals(c.transport())
                                    && w.set().equals(c.set()) && w.size().equals(c.size())).findFirst()
                            .map(w -> w.wire().text()).orElse("");
                    String cold = level != 1 || frames != setup.frames().get(0) ? "" : results.coldStarts().stream()
                            .filter(r -> r.transport().equals(c.transport())).findFirst()
                            .map(r -> Report.fixed(r.firstCall(), 0)).orElse("");
                    md.append(String.join(" | ", "| " + frames.label(), c.isFloor() ? "floor (in-process)"
                                    : c.transport(), Integer.toString(level), Report.fixed(c.throughput(), 1),
                            c.isFloor() ? "1.00" : Report.fixed(c.ratioTo(Report.floorOf(cells, c)), 2),
                            c.isFloor() ? "" : Report.fixed(c.overheadP50(), 2),
                            c.isFloor() ? "" : c.errors() + " / " + c.wrong(), wire, cold)).append(" |\n");
                }
            }
        }
        return md.toString();
    }

    private static List<Integer> headlineLevels(List<CellResult> cells, int workers) {
        List<Integer> measured = cells.stream().map(CellResult::concurrency).distinct().sorted().toList();
        List<Integer> wanted = measured.stream().filter(c -> c == 1 || c == 2 * workers).toList();
        if (!wanted.isEmpty() || measured.isEmpty()) {
            return wanted;
        }
        return measured.size() == 1 ? measured : List.of(measured.get(0), measured.get(measured.size() - 1));
    }

    /** Per transport, its 1-in-flight cell (or its fewest in flight) with the cold starts' frames. */
    static Map<String, CellResult> warmCells(RunSetup setup, List<CellResult> cells) {
        Frames first = setup.frames().get(0);
        Map<String, CellResult> warm = new LinkedHashMap<>();
        cells.stream().filter(c -> !c.isFloor() && c.set().equals(first.set()) && c.size().equals(first.size()))
                .sorted(Comparator.comparingInt(CellResult::concurrency))
                .forEach(c -> warm.putIfAbsent(c.transport(), c));
        return warm;
    }
}

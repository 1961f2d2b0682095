package inferbench.bench;

import java.util.List;

/**
 * What a run measured: the cells, the bytes on the wire, the cells over emulated links, the cold
 * starts (each list empty when that part did not run).
 */
record Results(List<CellResult> cells, List<WireBytes.Result> wire, List<LinkCell> links,
               List<ColdStart.Result> coldStarts) {
}

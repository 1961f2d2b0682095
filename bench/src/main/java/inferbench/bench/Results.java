package inferbench.bench;

import java.util.List;

/**
 * What a run measured: the cells, the bytes on the wire, the cells over emulated links, the
 * centre square's answers on the parity frames, the cold starts, the TLS pass (each list empty
 * when that part did not run).
 */
record Results(List<CellResult> cells, List<WireBytes.Result> wire, List<LinkCell> links,
               List<CentreSquareParity.Row> centreSquare, List<ColdStart.Result> coldStarts,
               List<TlsPass.Result> tls) {
}

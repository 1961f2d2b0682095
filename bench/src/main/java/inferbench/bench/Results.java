package inferbench.bench;

import java.util.List;

/**
 * What a run measured: the cells, the bytes on the wire, the cold starts, the TLS pass (each list
 * empty when that part did not run).
 */
record Results(List<CellResult> cells, List<WireBytes.Result> wire, List<ColdStart.Result> coldStarts,
               List<TlsPass.Result> tls) {
}

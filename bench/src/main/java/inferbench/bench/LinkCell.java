package inferbench.bench;

import inferbench.link.LinkProfile;
import java.util.Arrays;
import java.util.List;

/**
 * One cell measured over an emulated link: the cell itself, the link, and what of each frame was
 * sent; at 1 in flight also the first call on a new connection through the link.
 *
 * <p>Each request's overhead in round trips is its overhead, less the time the link's rates take
 * to carry its bytes, over the round-trip time. One round trip is the least a call can take; each
 * further one is a wait the protocol added.
 *
 * @param roundTrips       the median over the requests; NaN on a link without a round-trip time
 * @param fewestRoundTrips the least any request needed: a protocol that must wait for a window
 *                         needs its extra round trips on every such frame, while a busy machine
 *                         only adds time to some requests, so this is what the check reads
 * @param firstCall        the first call of a new client, connecting included; null for other cells
 */
record LinkCell(LinkProfile link, Sent sent, CellResult cell, double roundTrips, double fewestRoundTrips,
                Sample firstCall) {

    static LinkCell of(LinkProfile link, Sent sent, CellResult cell, List<Sample> samples, Sample firstCall) {
        if (link.rtt().isZero()) {
            return new LinkCell(link, sent, cell, Double.NaN, Double.NaN, firstCall);
        }
        double[] roundTrips = samples.stream().filter(Sample::correct)
                .mapToDouble(s -> (s.overheadMs() - link.transmitMillis(s.requestBytes(), s.replyBytes()))
                        / link.rttMillis()).toArray();
        return new LinkCell(link, sent, cell, Stats.median(roundTrips),
                Arrays.stream(roundTrips).min().orElse(Double.NaN), firstCall);
    }

    double firstCallMs() {
        return firstCall == null || !firstCall.correct() ? Double.NaN : firstCall.endToEndMs();
    }

    boolean firstCallFailed() {
        return firstCall != null && !firstCall.correct();
    }
}

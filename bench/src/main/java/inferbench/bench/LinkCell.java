package inferbench.bench;

import inferbench.link.LinkProfile;
import java.util.List;

/**
 * One cell measured over an emulated link: the cell itself, the link, and what of each frame was
 * sent; at 1 in flight also the first call on a new connection through the link.
 *
 * @param roundTrips the overhead in round trips: per request, its overhead less the time the
 *                   link's rates take to carry its bytes, over the round-trip time; then the
 *                   median. NaN on a link without a round-trip time. One round trip is the least
 *                   a call can take; each further one is a wait the protocol added.
 * @param firstCall  the first call of a new client, connecting included; null for other cells
 */
record LinkCell(LinkProfile link, Sent sent, CellResult cell, double roundTrips, Sample firstCall) {

    static LinkCell of(LinkProfile link, Sent sent, CellResult cell, List<Sample> samples, Sample firstCall) {
        double roundTrips = link.rtt().isZero() ? Double.NaN : Stats.median(samples.stream().filter(Sample::correct)
                .mapToDouble(s -> (s.overheadMs() - link.transmitMillis(s.requestBytes(), s.replyBytes()))
                        / link.rttMillis()).toArray());
        return new LinkCell(link, sent, cell, roundTrips, firstCall);
    }

    double firstCallMs() {
        return firstCall == null || !firstCall.correct() ? Double.NaN : firstCall.endToEndMs();
    }

    boolean firstCallFailed() {
        return firstCall != null && !firstCall.correct();
    }
}

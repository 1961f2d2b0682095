package inferbench.bench;

import inferbench.link.LinkProfile;

/**
 * One cell measured over an emulated link: the cell itself, the link, and what of each frame was
 * sent; at 1 in flight also the first call on a new connection through the link.
 *
 * @param firstCall the first call of a new client, connecting included; null for other cells
 */
record LinkCell(LinkProfile link, Sent sent, CellResult cell, Sample firstCall) {

    /**
     * The overhead in round trips: overhead p50, less the time the link's rates take to carry the
     * call's bytes, over the round-trip time; NaN on a link without one. One round trip is the
     * least a call can take; each further one is a wait the protocol added.
     */
    double roundTrips() {
        if (link.rtt().isZero()) {
            return Double.NaN;
        }
        return (cell.overheadP50() - link.transmitMillis(cell.requestBytes(), cell.replyBytes())) / link.rttMillis();
    }

    double firstCallMs() {
        return firstCall == null || !firstCall.correct() ? Double.NaN : firstCall.endToEndMs();
    }

    boolean firstCallFailed() {
        return firstCall != null && !firstCall.correct();
    }
}

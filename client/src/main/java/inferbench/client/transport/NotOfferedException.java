package inferbench.client.transport;

import java.io.IOException;

/**
 * The server answered that it does not offer what was asked at all, so sending again will not
 * help: a gRPC server without the method (status UNIMPLEMENTED, such as one with no
 * {@code PredictStream}), an HTTP 404 or 405 for the REST address (not a /predict URL), or a
 * port that speaks the other protocol ({@link OtherProtocol}).
 */
public final class NotOfferedException extends IOException {
    /** The call of a port that answers in HTTP/1.1 to gRPC: gRPC itself. */
    public static final String GRPC = "gRPC";

    private final String call;

    /**
     * @param call what was asked for: a gRPC method's name, such as "PredictStream", "POST /predict",
     *             or {@link #GRPC}
     */
    NotOfferedException(String call, String message) {
        super(message);
        this.call = call;
    }

    public String call() {
        return call;
    }
}

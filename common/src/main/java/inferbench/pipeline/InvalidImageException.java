package inferbench.pipeline;

/**
 * The client sent something that is not an acceptable JPEG. Both servers map this one
 * type to their "bad request" answer (HTTP 400, gRPC INVALID_ARGUMENT), so the message
 * is written for the client: it says what was wrong with the data.
 */
public final class InvalidImageException extends Exception {
    public InvalidImageException(String message) {
        super(message);
    }
}

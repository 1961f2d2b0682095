package inferbench.client.transport;

import inferbench.pipeline.Box;
import java.util.List;

/**
 * A server's answer to one frame, the same whichever protocol carried it.
 *
 * @param status          "OK", "NO_DETECTION", or "ERROR" when the server refused the frame
 * @param boxes           faces in the 720x720 centre-crop space
 * @param scores          one score per box
 * @param detectionCount  as the server reported it
 * @param serverLatencyMs the server's own processing time
 * @param filename        the saved image's name, "" when not saved
 * @param saveError       why saving failed ("" if it did not); the detection is still valid
 * @param error           why the server refused the frame ("" unless status is "ERROR")
 * @param requestBytes    bytes sent: the HTTP body, or the serialized {@code Image} message
 * @param responseBytes   bytes received: the HTTP body, or the serialized {@code Detection} message
 */
public record Reply(String status, List<Box> boxes, List<Float> scores, int detectionCount, double serverLatencyMs,
                    String filename, String saveError, String error, long requestBytes, long responseBytes) {

    public static final String ERROR = "ERROR";

    public Reply {
        boxes = List.copyOf(boxes);
        scores = List.copyOf(scores);
    }

    /** The server answered but refused the frame, saying why. */
    public static Reply refused(String error, long requestBytes, long responseBytes) {
        return new Reply(ERROR, List.of(), List.of(), 0, 0, "", "", error, requestBytes, responseBytes);
    }

    public boolean ok() {
        return !ERROR.equals(status);
    }
}

package inferbench.client;

import inferbench.client.transport.Reply;
import java.awt.image.BufferedImage;

/**
 * What one panel shows at one moment, copied out of {@link PanelState} so the renderer draws
 * a consistent picture while the worker goes on.
 *
 * @param protocol the panel's title, such as "REST" or "gRPC stream"
 * @param target   where requests go, such as "http://localhost:8001/predict"
 * @param enabled  whether the current mode sends frames to this protocol
 * @param image    the frame last answered (its centre square is drawn), or null before the first answer
 * @param frameId  that frame's number, 0 before the first answer and for the warm-up frame
 * @param reply    the last answer, or null before the first
 * @param error    why the last request failed, "" when it did not
 * @param save     whether frames are being sent with save on
 * @param warmingUp whether the worker is making its uncounted calls before the first measured frame
 * @param stopped  whether the server does not offer this protocol's call, so no more frames go to it
 * @param firstCallMs the first answered call's end-to-end time, kept out of the metrics; NaN before it
 */
public record PanelView(String protocol, String target, boolean enabled, BufferedImage image, long frameId,
                        Reply reply, String error, boolean save, boolean warmingUp, boolean stopped,
                        double firstCallMs, LatencyMetrics.Snapshot metrics) {
}

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
 * @param frameId  that frame's number, 0 before the first answer
 * @param reply    the last answer, or null before the first
 * @param error    why the last request failed, "" when it did not
 * @param save     whether frames are being sent with save on
 */
public record PanelView(String protocol, String target, boolean enabled, BufferedImage image, long frameId,
                        Reply reply, String error, boolean save, LatencyMetrics.Snapshot metrics) {
}

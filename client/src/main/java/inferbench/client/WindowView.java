package inferbench.client;

/**
 * Everything the window shows at one moment: the two panels and the header's state.
 *
 * @param source a line about the frame source, such as "webcam 0" or why the sample photo is shown
 */
public record WindowView(String source, Controls.Mode mode, boolean save, PanelView rest, PanelView grpc) {
}

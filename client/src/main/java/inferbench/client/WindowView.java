package inferbench.client;

/**
 * Everything the window shows at one moment: the two panels and the header's state.
 *
 * @param source  a line about the frame source, such as "webcam 0" or why the sample photo is shown
 * @param sending what goes to the servers and over which link, such as "same frames to both"
 */
public record WindowView(String source, String sending, Controls.Mode mode, boolean save, PanelView rest, PanelView grpc) {
}

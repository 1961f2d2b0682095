package inferbench.client;

import java.awt.Color;
import java.awt.Font;

/** The window's colours and fonts, in one place so the two panels and the card agree. */
final class Theme {
    static final Color BACKGROUND = new Color(0x121417);
    static final Color SURFACE = new Color(0x1b1f24);
    static final Color TEXT = new Color(0xe8eaed);
    static final Color MUTED = new Color(0x9aa4ae);
    static final Color FAINT = new Color(0x2c323a);
    static final Color REST = new Color(0x5aa9ff);
    static final Color GRPC = new Color(0x3ddc97);
    static final Color BOX = new Color(0xffd400);
    static final Color GOOD = new Color(0x3ddc97);
    static final Color BAD = new Color(0xff6b6b);

    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 26);
    static final Font HEADING = new Font(Font.SANS_SERIF, Font.BOLD, 22);
    static final Font NOTICE = new Font(Font.SANS_SERIF, Font.BOLD, 28);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font VALUE = new Font(Font.MONOSPACED, Font.BOLD, 16);
    static final Font DETAIL = new Font(Font.MONOSPACED, Font.PLAIN, 14);

    private Theme() {
    }

    static Color accent(String protocol) {
        return protocol.startsWith("REST") ? REST : GRPC;
    }
}

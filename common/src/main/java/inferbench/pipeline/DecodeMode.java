package inferbench.pipeline;

import java.util.Locale;

/**
 * How the pipeline turns the JPEG into the grey image the cascade sees.
 *
 * <p>The original decodes to colour, crops, resizes, then converts to grey. Asking libjpeg for
 * the luma plane instead skips the colour conversion both ways and resizes one channel instead
 * of three, which is faster; but grey-then-resize is not resize-then-grey to the last bit, and
 * on crowded frames the cascade then finds other boxes, or another number of faces, than the
 * original does (docs/pipeline.md has how often, and the speed). So the original's path is the
 * default, and the shortcut is named for what it gives up.
 */
public enum DecodeMode {
    /** The original system's path, and its answers: decode to BGR, crop, resize, then grey. */
    EXACT("exact"),
    /** Decode straight to grey: faster, and answers that may differ from the original's. */
    APPROXIMATE("approximate");

    public final String flag;

    DecodeMode(String flag) {
        this.flag = flag;
    }

    public static DecodeMode parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "exact", "color", "colour" -> EXACT;          // color/grey: the names before 2026-12
            case "approximate", "grey", "gray" -> APPROXIMATE;
            default -> throw new IllegalArgumentException("--decode / DECODE_MODE: expected exact or approximate, got '"
                    + text + "'");
        };
    }
}

package inferbench.pipeline;

/**
 * How the pipeline decodes a JPEG it will not save.
 *
 * <p>Detection only needs grey, and libjpeg can hand over the luma plane directly instead of
 * converting YCbCr to BGR and back, which saves about a quarter of the pipeline's time on a
 * webcam frame (docs/performance-notes.md has the runs). The boxes are the same on every sample
 * frame. A saved image is always decoded in colour, because the saved JPEG is in colour.
 */
public enum DecodeMode {
    /** The original system's path: decode to BGR, crop, resize, then convert to grey. */
    COLOR,
    /** Decode straight to grey when the image is not saved. */
    GREY;

    public static DecodeMode parse(String text) {
        return switch (text.toLowerCase()) {
            case "color", "colour" -> COLOR;
            case "grey", "gray" -> GREY;
            default -> throw new IllegalArgumentException("--decode / DECODE_MODE: expected color or grey, got '"
                    + text + "'");
        };
    }
}

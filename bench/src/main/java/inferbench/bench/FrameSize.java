package inferbench.bench;

import java.util.Locale;

/** A frame size such as 1280x720, as given to --size. */
public record FrameSize(int width, int height) {

    public static final FrameSize WEBCAM = new FrameSize(1280, 720);

    /**
     * Landscape only: the sample frames are the photo padded sideways to the width, as the
     * original client's webcam frames were.
     */
    public FrameSize {
        if (height < 64 || width < height || width > 8192) {
            throw new IllegalArgumentException("frame size " + width + "x" + height
                    + ": use a landscape size from 64x64 to 8192 wide, such as 1280x720");
        }
    }

    public static FrameSize parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                return new FrameSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--size: expected WIDTHxHEIGHT such as 1280x720, got '" + text + "'");
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}

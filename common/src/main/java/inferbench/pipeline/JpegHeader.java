package inferbench.pipeline;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Reads a JPEG's frame size from its markers, before any pixel is decoded.
 *
 * <p>Decoding allocates width x height x 3 bytes, so a 30-byte file declaring 60000x60000
 * would ask for 10 GB. Walking the marker segments up to the SOF (start of frame) header
 * costs microseconds and lets the pipeline refuse such images without allocating anything:
 * too large a frame, and a file far too small for the frame it declares.
 */
public record JpegHeader(int width, int height) {

    /** The largest side any real camera produces, and libjpeg-turbo's own limit is 65500. */
    public static final int MAX_SIDE = 16384;
    /**
     * The most pixels one byte of JPEG may declare. The flattest frame a standard encoder makes
     * (one colour, progressive) takes a byte per few hundred pixels; a file far smaller than that
     * for its size was made to cost decoding time: libjpeg fills the missing data with grey, at the
     * full cost of a real frame that size.
     */
    public static final int MAX_PIXELS_PER_BYTE = 1000;

    private static final int SOI = 0xD8, EOI = 0xD9, SOS = 0xDA;

    /**
     * Parses the header of the JPEG between the buffer's position and limit (left as they are)
     * and checks the frame size against {@code maxPixels} and {@link #MAX_SIDE}.
     */
    public static JpegHeader check(ByteBuffer data, long maxPixels) throws InvalidImageException {
        JpegHeader header = parse(data);
        if (header.width > MAX_SIDE || header.height > MAX_SIDE) {
            throw new InvalidImageException(String.format(
                    "image %dx%d is too large: each side must be at most %d pixels",
                    header.width, header.height, MAX_SIDE));
        }
        long pixels = (long) header.width * header.height;
        if (pixels > maxPixels) {
            throw new InvalidImageException(String.format(Locale.ROOT,
                    "image %dx%d has %.1f megapixels, over the limit of %.1f megapixels",
                    header.width, header.height, pixels / 1e6, maxPixels / 1e6));
        }
        long bytes = data.remaining();
        if (pixels > bytes * MAX_PIXELS_PER_BYTE) {
            throw new InvalidImageException(String.format(Locale.ROOT,
                    "implausible JPEG: it declares %dx%d (%.1f megapixels) in only %d bytes, and a real frame that"
                            + " size takes at least %d (1 byte per %d pixels); decoding it would cost as much as a"
                            + " real frame", header.width, header.height, pixels / 1e6, bytes,
                    (pixels + MAX_PIXELS_PER_BYTE - 1) / MAX_PIXELS_PER_BYTE, MAX_PIXELS_PER_BYTE));
        }
        return header;
    }

    /** Finds the SOF segment and reads its size; also requires the end-of-image marker. */
    public static JpegHeader parse(ByteBuffer jpeg) throws InvalidImageException {
        ByteBuffer data = jpeg.slice(); // indexes from 0, whatever the caller's position
        if (data.limit() == 0) {
            throw new InvalidImageException("empty image: no bytes received");
        }
        if (data.limit() >= 8 && u8(data, 0) == 0x89 && data.get(1) == 'P' && data.get(2) == 'N' && data.get(3) == 'G') {
            throw new InvalidImageException("not a JPEG: the data is a PNG image (only image/jpeg is supported)");
        }
        if (data.limit() < 4 || u8(data, 0) != 0xFF || u8(data, 1) != SOI) {
            throw new InvalidImageException("not a JPEG: the data does not start with the JPEG SOI marker FF D8");
        }
        JpegHeader header = findFrame(data);
        if (!endsWithEoi(data)) {
            throw new InvalidImageException(
                    "truncated JPEG: the data does not end with the end-of-image marker FF D9");
        }
        return header;
    }

    private static JpegHeader findFrame(ByteBuffer data) throws InvalidImageException {
        int pos = 2;
        while (pos + 4 <= data.limit()) {
            if (u8(data, pos) != 0xFF) {
                throw new InvalidImageException("corrupt JPEG: expected a marker at byte " + pos);
            }
            int marker = u8(data, pos + 1);
            if (marker == 0xFF) { // fill byte before a marker (ITU T.81 B.1.1.2)
                pos++;
                continue;
            }
            if (marker == SOS || marker == EOI) {
                throw new InvalidImageException("corrupt JPEG: image data starts before any frame header (SOF)");
            }
            int length = (u8(data, pos + 2) << 8) | u8(data, pos + 3); // includes its own two bytes
            if (length < 2) {
                throw new InvalidImageException("corrupt JPEG: bad segment length at byte " + pos);
            }
            if (isStartOfFrame(marker)) {
                if (pos + 9 > data.limit()) {
                    break;
                }
                int height = (u8(data, pos + 5) << 8) | u8(data, pos + 6);
                int width = (u8(data, pos + 7) << 8) | u8(data, pos + 8);
                if (width == 0 || height == 0) {
                    throw new InvalidImageException("unsupported JPEG: frame header declares a zero width or height");
                }
                return new JpegHeader(width, height);
            }
            pos += 2 + length;
        }
        throw new InvalidImageException("truncated JPEG: the data ends before the frame header (SOF)");
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Some encoders pad the file with zero bytes after EOI; those are allowed. */
    private static boolean endsWithEoi(ByteBuffer data) {
        int end = data.limit();
        while (end > 2 && data.get(end - 1) == 0) {
            end--;
        }
        return end >= 4 && u8(data, end - 2) == 0xFF && u8(data, end - 1) == EOI;
    }

    private static int u8(ByteBuffer data, int index) {
        return data.get(index) & 0xFF;
    }
}

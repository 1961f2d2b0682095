package inferbench.client;

import inferbench.client.source.MatImages;
import java.awt.image.BufferedImage;

/**
 * One captured frame: its number, its pixels, and its JPEG bytes, encoded once and sent to
 * every enabled protocol. Encoding waits for the first worker that asks: a frame that no
 * worker takes (it was replaced by a newer one first) is never encoded.
 */
public final class Frame {
    private final long id;
    private final BufferedImage image;
    private final int jpegQuality;
    private byte[] jpeg;

    /** @param image not changed after this call: workers and the window read it from other threads */
    public Frame(long id, BufferedImage image, int jpegQuality) {
        this.id = id;
        this.image = image;
        this.jpegQuality = jpegQuality;
    }

    public long id() {
        return id;
    }

    public BufferedImage image() {
        return image;
    }

    public synchronized byte[] jpeg() {
        if (jpeg == null) {
            jpeg = MatImages.encodeJpeg(image, jpegQuality);
        }
        return jpeg;
    }
}

package inferbench.client;

import inferbench.client.source.MatImages;
import inferbench.pipeline.DetectionPipeline;
import java.awt.image.BufferedImage;
import org.opencv.core.Rect;

/**
 * One captured frame: its number, its pixels, and its JPEG bytes, encoded once and sent to
 * every enabled protocol. Encoding waits for the first worker that asks: a frame that no
 * worker takes (it was replaced by a newer one first) is never encoded.
 */
public final class Frame {
    private final long id;
    private final BufferedImage image;
    private final int jpegQuality;
    private final boolean centreOnly;
    private byte[] jpeg;

    /**
     * @param image      not changed after this call: workers and the window read it from other threads
     * @param centreOnly encode only the centre square, the part the servers look at
     */
    public Frame(long id, BufferedImage image, int jpegQuality, boolean centreOnly) {
        this.id = id;
        this.image = image;
        this.jpegQuality = jpegQuality;
        this.centreOnly = centreOnly;
    }

    public long id() {
        return id;
    }

    public BufferedImage image() {
        return image;
    }

    public synchronized byte[] jpeg() {
        if (jpeg == null) {
            jpeg = MatImages.encodeJpeg(centreOnly ? centreSquare(image) : image, jpegQuality);
        }
        return jpeg;
    }

    /** The square the pipeline crops, so a server that gets only it sees the same pixels. */
    private static BufferedImage centreSquare(BufferedImage image) {
        Rect square = DetectionPipeline.centreSquare(image.getWidth(), image.getHeight());
        return image.getSubimage(square.x, square.y, square.width, square.height);
    }
}

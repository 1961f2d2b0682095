package inferbench.client.source;

import inferbench.pipeline.OpenCv;
import inferbench.samples.SampleFrames;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

/**
 * Converts between OpenCV {@code Mat}s and Java2D {@code BufferedImage}s.
 *
 * <p>Both sides use {@code TYPE_3BYTE_BGR}, whose pixel bytes are laid out exactly as an
 * 8-bit, 3-channel OpenCV image (blue, green, red, row after row), so a conversion is one copy.
 */
public final class MatImages {
    private MatImages() {
    }

    /** A new BGR image with the Mat's pixels; the Mat is 8-bit with 1 (grey) or 3 (BGR) channels. */
    public static BufferedImage toImage(Mat mat) {
        OpenCv.load();
        Mat bgr = mat;
        if (mat.type() == CvType.CV_8UC1) {
            bgr = new Mat();
            Imgproc.cvtColor(mat, bgr, Imgproc.COLOR_GRAY2BGR);
        } else if (mat.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected an 8-bit grey or BGR image, got " + CvType.typeToString(mat.type()));
        }
        try {
            BufferedImage image = new BufferedImage(bgr.cols(), bgr.rows(), BufferedImage.TYPE_3BYTE_BGR);
            bgr.get(0, 0, pixels(image));
            return image;
        } finally {
            if (bgr != mat) {
                bgr.release();
            }
        }
    }

    /** A new 8-bit BGR Mat with the image's pixels; the caller releases it. */
    public static Mat toMat(BufferedImage image) {
        OpenCv.load();
        BufferedImage bgr = asBgr(image);
        Mat mat = new Mat(bgr.getHeight(), bgr.getWidth(), CvType.CV_8UC3);
        mat.put(0, 0, pixels(bgr));
        return mat;
    }

    /** JPEG bytes with OpenCV's encoder, the one the original client uses (quality 0 to 100). */
    public static byte[] encodeJpeg(BufferedImage image, int quality) {
        Mat mat = toMat(image);
        try {
            return SampleFrames.encodeJpeg(mat, quality);
        } finally {
            mat.release();
        }
    }

    /** The image itself when it is a plain BGR image, otherwise a BGR copy of it. */
    public static BufferedImage asBgr(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getDataBuffer().getSize() == image.getWidth() * image.getHeight() * 3) {
            return image;
        }
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = copy.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return copy;
    }

    private static byte[] pixels(BufferedImage bgr) {
        return ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
    }
}

package inferbench.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * Test and benchmark frames, all derived in code from the one public-domain photo in
 * {@code samples/astronaut.png}, so no other picture needs to be committed.
 *
 * <p>Every method returns a new BGR {@code Mat} (the caller releases it) or JPEG bytes.
 */
public final class SampleFrames {
    public static final String ASTRONAUT = "/samples/astronaut.png";
    public static final int WEBCAM_WIDTH = 1280;
    public static final int WEBCAM_HEIGHT = 720;
    /** The quality the original client sends at. */
    public static final int JPEG_QUALITY = 95;

    private SampleFrames() {
    }

    /** The 512x512 astronaut photo. */
    public static Mat astronaut() {
        nu.pattern.OpenCV.loadLocally(); // idempotent; the samples need no more of common than this
        try (InputStream in = SampleFrames.class.getResourceAsStream(ASTRONAUT)) {
            if (in == null) {
                throw new IllegalStateException(ASTRONAUT + " is missing from the classpath: rebuild with ./build.sh");
            }
            MatOfByte bytes = new MatOfByte(in.readAllBytes());
            Mat image = Imgcodecs.imdecode(bytes, Imgcodecs.IMREAD_COLOR);
            bytes.release();
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ASTRONAUT, e);
        }
    }

    /**
     * A webcam-like frame, built as the original project's parity test builds it: the photo
     * resized to height x height (bicubic), then reflect-padded left and right to the width.
     */
    public static Mat faceFrame(int width, int height) {
        Mat photo = astronaut();
        Mat square = new Mat();
        Imgproc.resize(photo, square, new Size(height, height), 0, 0, Imgproc.INTER_CUBIC);
        photo.release();
        Mat frame = padToWidth(square, width);
        square.release();
        return frame;
    }

    /**
     * Two astronauts side by side in the centre square: each half is the photo's upper part
     * around the face, so both faces keep the size the cascade finds in the one-face frame.
     */
    public static Mat twoFaceFrame() {
        Mat one = faceFrame(WEBCAM_HEIGHT, WEBCAM_HEIGHT);
        Mat square = new Mat(WEBCAM_HEIGHT, WEBCAM_HEIGHT, CvType.CV_8UC3, new Scalar(90, 90, 90));
        int half = WEBCAM_HEIGHT / 2;
        Rect aroundFace = new Rect(135, 0, half, half); // the face is at about x 245..386, y 91..233
        Mat tile = one.submat(aroundFace);
        tile.copyTo(square.submat(new Rect(0, half / 2, half, half)));
        tile.copyTo(square.submat(new Rect(half, half / 2, half, half)));
        tile.release();
        one.release();
        Mat frame = padToWidth(square, WEBCAM_WIDTH);
        square.release();
        return frame;
    }

    /** Smooth gradient with seeded noise: structure for the encoder, nothing like a face. */
    public static Mat noFaceFrame() {
        Mat frame = new Mat(WEBCAM_HEIGHT, WEBCAM_WIDTH, CvType.CV_8UC3);
        byte[] pixels = new byte[WEBCAM_WIDTH * WEBCAM_HEIGHT * 3];
        Random random = new Random(42);
        for (int y = 0, i = 0; y < WEBCAM_HEIGHT; y++) {
            for (int x = 0; x < WEBCAM_WIDTH; x++) {
                int base = (x * 200 / WEBCAM_WIDTH) + 20;
                pixels[i++] = (byte) (base + random.nextInt(16));
                pixels[i++] = (byte) (y * 200 / WEBCAM_HEIGHT + 20 + random.nextInt(16));
                pixels[i++] = (byte) (120 + random.nextInt(16));
            }
        }
        frame.put(0, 0, pixels);
        return frame;
    }

    /** The 1280x720 face frame as JPEG quality 95: the request most tests and the benchmark send. */
    public static byte[] faceJpeg() {
        return encodeAndRelease(faceFrame(WEBCAM_WIDTH, WEBCAM_HEIGHT));
    }

    public static byte[] twoFaceJpeg() {
        return encodeAndRelease(twoFaceFrame());
    }

    public static byte[] noFaceJpeg() {
        return encodeAndRelease(noFaceFrame());
    }

    public static byte[] encodeJpeg(Mat image, int quality) {
        MatOfByte buffer = new MatOfByte();
        MatOfInt params = new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality);
        try {
            if (!Imgcodecs.imencode(".jpg", image, buffer, params)) {
                throw new IllegalStateException("OpenCV could not encode a " + image.size() + " image as JPEG");
            }
            return buffer.toArray();
        } finally {
            buffer.release();
            params.release();
        }
    }

    private static byte[] encodeAndRelease(Mat image) {
        try {
            return encodeJpeg(image, JPEG_QUALITY);
        } finally {
            image.release();
        }
    }

    private static Mat padToWidth(Mat square, int width) {
        int left = (width - square.cols()) / 2;
        int right = width - square.cols() - left;
        Mat frame = new Mat();
        Core.copyMakeBorder(square, frame, 0, 0, left, right, Core.BORDER_REFLECT_101);
        return frame;
    }
}

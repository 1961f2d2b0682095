package inferbench.pipeline;

import inferbench.storage.ResultStore;
import inferbench.storage.SaveOutcome;
import java.nio.ByteBuffer;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/**
 * The one detection pipeline both servers call: JPEG bytes in, faces in 720x720 space out.
 *
 * <p>The steps are the original system's, in its order, so the answers are its answers:
 * validate, decode in colour, centre-crop to a square, resize to 720x720 (the image that is
 * saved), resize to 300x300 (what the Haar cascade sees: a face stays well over the cascade's
 * 30 px minimum, and detection stays cheap), grey, detect, scale boxes back by 2.4.
 * {@link DecodeMode#APPROXIMATE} decodes to grey first instead.
 * Every native {@code Mat} is released in a {@code finally}, so memory does not wait for the
 * garbage collector, which cannot see native allocations.
 */
public final class DetectionPipeline {
    /** The saved image and the coordinate space of the returned boxes. */
    public static final int CROP_SIDE = 720;
    /** The cascade's input size, as in the original system. */
    public static final int DETECT_SIDE = 300;
    /** What both servers answer for any other media type, in the original service's words. */
    public static final String ONLY_JPEG = "Only image/jpeg supported";

    private static final double BOX_SCALE = (double) CROP_SIDE / DETECT_SIDE;

    private final FaceDetector detector;
    private final ResultStore store;
    private final long maxPixels;
    private final DecodeMode decodeMode;

    public DetectionPipeline(FaceDetector detector, ResultStore store, long maxPixels, DecodeMode decodeMode) {
        this.detector = detector;
        this.store = store;
        this.maxPixels = maxPixels;
        this.decodeMode = decodeMode;
    }

    /**
     * Loads OpenCV and the cascade and sets OpenCV's threads: everything that can fail at
     * startup, so a server that starts can serve.
     */
    public static DetectionPipeline load(PipelineSettings settings, ResultStore store) {
        OpenCv.load();
        if (settings.openCvThreads() > 0) {
            Core.setNumThreads(settings.openCvThreads()); // process-wide; OpenCV's default is one thread per core
        }
        return new DetectionPipeline(new FaceDetector(settings.cascade()), store, settings.maxPixels(),
                settings.decode());
    }

    /** image/jpeg, or the common misspelling image/jpg, in any case: the media types both servers accept. */
    public static boolean isJpegMediaType(String type) {
        return type.equalsIgnoreCase("image/jpeg") || type.equalsIgnoreCase("image/jpg");
    }

    /** Detects faces in one JPEG; {@code protocol}, "REST" or "gRPC", goes to records.csv when saving. */
    public DetectionResult process(byte[] jpeg, boolean save, String protocol) throws InvalidImageException {
        return process(ByteBuffer.wrap(jpeg), save, protocol);
    }

    /**
     * Detects faces in the JPEG between the buffer's position and limit, which are left as they
     * are. The buffer is one over an array (the REST server passes the multipart part in the
     * request body), which goes to OpenCV without a copy on the Java side.
     */
    public DetectionResult process(ByteBuffer jpeg, boolean save, String protocol) throws InvalidImageException {
        long start = System.nanoTime();
        JpegHeader.check(jpeg, maxPixels);
        boolean exact = decodeMode == DecodeMode.EXACT;
        Mat decoded = decode(jpeg, exact ? Imgcodecs.IMREAD_COLOR : Imgcodecs.IMREAD_GRAYSCALE);
        Mat crop = null;
        Mat small = new Mat();
        Mat grey = exact ? new Mat() : small;
        Mat saved = null;
        try {
            crop = cropTo720(decoded);
            Imgproc.resize(crop, small, new Size(DETECT_SIDE, DETECT_SIDE), 0, 0, Imgproc.INTER_AREA);
            if (exact) {
                Imgproc.cvtColor(small, grey, Imgproc.COLOR_BGR2GRAY);
            }
            List<Box> boxes = toCropSpace(detector.detect(grey));
            if (!save) {
                return new DetectionResult(boxes, millisSince(start), "", "");
            }
            // The saved image is in colour, and the answer must not depend on saving: an image
            // decoded to grey is decoded again, in colour, for the file only.
            saved = exact ? crop : colourCrop(jpeg);
            DetectionResult unsaved = new DetectionResult(boxes, millisSince(start), "", "");
            SaveOutcome outcome = store.trySave(saved, unsaved, protocol);
            return new DetectionResult(boxes, millisSince(start), outcome.filename(), outcome.error());
        } finally {
            release(decoded, crop, small, grey, saved);
        }
    }

    private static Mat colourCrop(ByteBuffer jpeg) throws InvalidImageException {
        Mat colour = decode(jpeg, Imgcodecs.IMREAD_COLOR);
        try {
            return cropTo720(colour);
        } finally {
            colour.release();
        }
    }

    private static Mat decode(ByteBuffer jpeg, int flags) throws InvalidImageException {
        MatOfByte buffer = new MatOfByte();
        try {
            buffer.alloc(jpeg.remaining());
            buffer.put(0, 0, jpeg.array(), jpeg.arrayOffset() + jpeg.position(), jpeg.remaining());
            Mat image = Imgcodecs.imdecode(buffer, flags);
            if (image.empty()) {
                image.release();
                throw new InvalidImageException("invalid JPEG: OpenCV could not decode the image data");
            }
            return image;
        } finally {
            buffer.release();
        }
    }

    /**
     * The part of a frame the pipeline looks at: the centre square of side min(width, height).
     * A client that sends only this square gets the same pixels detected.
     */
    public static Rect centreSquare(int width, int height) {
        int side = Math.min(width, height);
        return new Rect((width - side) / 2, (height - side) / 2, side, side);
    }

    /** The centre square, resized to 720x720 (a square that size already is copied): a new Mat the caller releases. */
    static Mat cropTo720(Mat image) {
        Mat view = image.submat(centreSquare(image.cols(), image.rows())); // shares pixels with image, no copy
        try {
            Mat out = new Mat();
            Imgproc.resize(view, out, new Size(CROP_SIDE, CROP_SIDE), 0, 0, Imgproc.INTER_AREA);
            return out;
        } finally {
            view.release();
        }
    }

    private static List<Box> toCropSpace(List<Rect> faces) {
        return faces.stream().map(r -> new Box((float) (r.x * BOX_SCALE), (float) (r.y * BOX_SCALE),
                (float) (r.width * BOX_SCALE), (float) (r.height * BOX_SCALE))).toList();
    }

    private static void release(Mat... mats) {
        for (Mat mat : mats) {
            if (mat != null) {
                mat.release(); // twice is harmless: the second finds it empty
            }
        }
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}

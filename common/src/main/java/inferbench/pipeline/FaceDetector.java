package inferbench.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.objdetect.CascadeClassifier;

/**
 * OpenCV's Haar frontal-face cascade, safe to call from many threads.
 *
 * <p>{@code CascadeClassifier.detectMultiScale} keeps scratch buffers inside the classifier,
 * so one instance must not run on two threads at once. Each worker thread gets its own
 * classifier (about 1 MB, loaded once per thread); the servers use fixed-size pools, so the
 * number of classifiers stays equal to the number of workers.
 */
public final class FaceDetector {
    /** The cascade the original system uses; unpacked from Maven Central at build time. */
    public static final String BUNDLED_CASCADE = "/cascades/haarcascade_frontalface_default.xml";

    private static final double SCALE_FACTOR = 1.1;
    private static final int MIN_NEIGHBORS = 5;
    private static final Size MIN_SIZE = new Size(30, 30);

    private final Path cascadeFile;
    private final ThreadLocal<CascadeClassifier> classifiers;

    /**
     * @param cascadeFile a Haar cascade XML file, or null for the bundled frontal-face cascade
     * @throws IllegalStateException if the cascade cannot be loaded (fail fast at startup)
     */
    public FaceDetector(Path cascadeFile) {
        OpenCv.load();
        this.cascadeFile = cascadeFile != null ? cascadeFile : extractBundledCascade();
        if (!Files.isReadable(this.cascadeFile)) {
            throw new IllegalStateException("Haar cascade file not found or not readable: " + this.cascadeFile
                    + " (set --cascade or CASCADE to a valid cascade XML, or unset it to use the bundled one)");
        }
        this.classifiers = ThreadLocal.withInitial(this::newClassifier);
        classifiers.get(); // load now so a broken file fails at startup, not on the first request
    }

    /** Runs the cascade on a greyscale image and returns the face rectangles in its pixel space. */
    public List<Rect> detect(Mat grey) {
        MatOfRect found = new MatOfRect();
        try {
            classifiers.get().detectMultiScale(grey, found, SCALE_FACTOR, MIN_NEIGHBORS, 0, MIN_SIZE, new Size());
            return new ArrayList<>(found.toList());
        } finally {
            found.release();
        }
    }

    private CascadeClassifier newClassifier() {
        CascadeClassifier classifier = new CascadeClassifier(cascadeFile.toString());
        if (classifier.empty()) {
            throw new IllegalStateException("OpenCV could not load the Haar cascade " + cascadeFile
                    + " (is it a cascade XML file? set --cascade or CASCADE to fix)");
        }
        return classifier;
    }

    /** CascadeClassifier reads from a file path only, so the classpath copy goes to a temp file. */
    private static Path extractBundledCascade() {
        try (InputStream in = FaceDetector.class.getResourceAsStream(BUNDLED_CASCADE)) {
            if (in == null) {
                throw new IllegalStateException("the bundled cascade " + BUNDLED_CASCADE
                        + " is missing from the classpath: rebuild with ./build.sh, or set --cascade/CASCADE");
            }
            Path file = Files.createTempFile("haarcascade_frontalface_default", ".xml");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract the bundled Haar cascade to a temp file", e);
        }
    }
}

package inferbench.bench;

import inferbench.client.source.ImageSource;
import inferbench.client.source.MatImages;
import inferbench.pipeline.DetectionPipeline;
import inferbench.samples.SampleFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The frame sets {@code --frames} names: {@value #DEFAULT}, {@value #BUSY}, or an image file or a
 * folder of images, each made into JPEG quality 95 frames of the size measured.
 *
 * <p>A user's image is fitted into the frame as the desktop client's image source renders its
 * first frame of it ({@link ImageSource}: the picture scaled to fit, over a blurred copy of
 * itself), so the benchmark sends what the client would; other sizes than the client's
 * 1280x720 are that frame resized.
 */
final class FrameSets {
    static final String DEFAULT = "default";
    static final String BUSY = "busy";
    /** A folder's first images by name; more would hold hundreds of MB of frames in memory. */
    static final int MAX_IMAGES = 100;
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif");

    /** One frame before its answer is known. */
    record Picture(String name, byte[] jpeg) {
    }

    private FrameSets() {
    }

    /** Refuses a --frames entry that names neither a built-in set nor an existing file or folder. */
    static void check(String set) {
        if (!set.equals(DEFAULT) && !set.equals(BUSY) && !Files.exists(Path.of(set))) {
            throw new IllegalArgumentException("--frames: '" + set + "' is neither " + DEFAULT + ", " + BUSY
                    + " nor an image file or folder");
        }
    }

    static String description(String set) {
        return switch (set) {
            case DEFAULT -> "the sample photo's face frame (the photo resized to the frame's height, reflect-padded"
                    + " to its width: 1 face) and a no-face frame (a colour gradient with seeded noise)";
            case BUSY -> "a crowd made from the sample photo: the photo shrunk to " + BusyFrames.TILE
                    + " px and tiled over the frame, and in the centre square a 3x3 grid of the photo's head at"
                    + " four sizes (192 to 240 px); and the same frame mirrored";
            default -> "the images in " + set + " (at most " + MAX_IMAGES + ", by name), each fitted into the frame"
                    + " as the desktop client's image source shows it (scaled to fit, over a blurred copy of itself)";
        };
    }

    /** The set's frames at this size, in the order they are sent. */
    static List<Picture> pictures(String set, FrameSize size) {
        return pictures(set, size, Sent.FULL);
    }

    /** The same, each whole or only its centre square (the part the pipeline crops), encoded alike. */
    static List<Picture> pictures(String set, FrameSize size, Sent sent) {
        return switch (set) {
            case DEFAULT -> List.of(
                    new Picture("face", encode(SampleFrames.faceFrame(size.width(), size.height()), sent)),
                    new Picture("no face", encode(resized(SampleFrames.noFaceFrame(), size), sent)));
            case BUSY -> List.of(
                    new Picture("crowd", encode(resized(BusyFrames.crowd(), size), sent)),
                    new Picture("crowd mirrored", encode(resized(BusyFrames.mirroredCrowd(), size), sent)));
            default -> images(Path.of(set), size, sent);
        };
    }

    private static List<Picture> images(Path path, FrameSize size, Sent sent) {
        List<Picture> pictures = new ArrayList<>();
        for (Path file : imageFiles(path)) {
            try (ImageSource source = ImageSource.of(file, 1)) {
                Mat frame = MatImages.toMat(source.next());
                pictures.add(new Picture(file.getFileName().toString(), encode(resized(frame, size), sent)));
            } catch (IOException e) {
                throw new UncheckedIOException("--frames: " + e.getMessage(), e);
            }
        }
        return pictures;
    }

    private static List<Path> imageFiles(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            List<Path> files = entries.filter(FrameSets::isImageFile).sorted().limit(MAX_IMAGES).toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--frames: no images (" + String.join(", ", EXTENSIONS)
                        + ") in the folder " + path);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("--frames: cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean isImageFile(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(path) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static Mat resized(Mat frame, FrameSize size) {
        if (frame.cols() == size.width() && frame.rows() == size.height()) {
            return frame;
        }
        Mat out = new Mat();
        Imgproc.resize(frame, out, new Size(size.width(), size.height()), 0, 0, Imgproc.INTER_AREA);
        frame.release();
        return out;
    }

    private static byte[] encode(Mat frame, Sent sent) {
        Mat picture = sent == Sent.CENTRE ? frame.submat(DetectionPipeline.centreSquare(frame.cols(), frame.rows()))
                : frame;
        try {
            return SampleFrames.encodeJpeg(picture, SampleFrames.JPEG_QUALITY);
        } finally {
            picture.release();
            frame.release();
        }
    }
}

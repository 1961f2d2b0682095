package inferbench.client.source;

import inferbench.pipeline.OpenCv;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

/**
 * A webcam or a video file, through OpenCV's {@code VideoCapture}. A video file loops.
 *
 * <p>The org.openpnp OpenCV build has no FFmpeg, so of the video formats it reads only MJPEG
 * in an AVI file, with OpenCV's built-in reader; other files fail to open, with a message
 * that says how to convert them.
 */
public final class CaptureSource implements FrameSource {
    public static final String VIDEO_FORMATS = "MJPEG .avi only (this OpenCV build has no FFmpeg); convert"
            + " other videos with: ffmpeg -i in.mp4 -c:v mjpeg -q:v 3 -an out.avi";

    private final VideoCapture capture;
    private final Mat frame = new Mat();
    private final boolean loop;
    private final String description;

    private CaptureSource(VideoCapture capture, boolean loop, String description) {
        this.capture = capture;
        this.loop = loop;
        this.description = description;
    }

    /** Webcam number {@code index}, asked for 1280x720 (it may deliver another size). */
    public static CaptureSource webcam(int index) throws IOException {
        // On Linux webcam N is /dev/videoN. Without it, asking OpenCV anyway only prints its
        // warnings ("can't open camera by index") before the same answer.
        Path device = Path.of("/dev/video" + index);
        if (System.getProperty("os.name").startsWith("Linux") && !Files.exists(device)) {
            throw new IOException("no webcam could be opened: " + device + " does not exist");
        }
        OpenCv.load();
        VideoCapture capture = new VideoCapture(index);
        if (!capture.isOpened()) {
            capture.release();
            throw new IOException("no webcam could be opened at index " + index);
        }
        capture.set(Videoio.CAP_PROP_FRAME_WIDTH, ImageSource.WIDTH);
        capture.set(Videoio.CAP_PROP_FRAME_HEIGHT, ImageSource.HEIGHT);
        return new CaptureSource(capture, false, "webcam " + index);
    }

    public static CaptureSource video(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("no such video file: " + file);
        }
        OpenCv.load();
        VideoCapture capture = new VideoCapture(file.toString());
        Mat first = new Mat();
        try {
            if (!capture.isOpened() || !capture.read(first) || first.empty()) {
                capture.release();
                throw new IOException("OpenCV cannot read the video " + file + ". Supported: " + VIDEO_FORMATS);
            }
        } finally {
            first.release();
        }
        capture.set(Videoio.CAP_PROP_POS_FRAMES, 0);
        return new CaptureSource(capture, true, "video " + file.getFileName());
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public BufferedImage next() throws IOException {
        if (!capture.read(frame) || frame.empty()) {
            if (!loop) {
                throw new IOException(description + " stopped giving frames");
            }
            capture.set(Videoio.CAP_PROP_POS_FRAMES, 0); // end of the file: start again
            if (!capture.read(frame) || frame.empty()) {
                throw new IOException("cannot read " + description + " again from its start");
            }
        }
        return MatImages.toImage(frame);
    }

    @Override
    public void close() {
        capture.release();
        frame.release();
    }
}

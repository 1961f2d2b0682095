package inferbench.client.source;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Where frames come from: a webcam, a video file, or still images. Called from one capture
 * thread only (OpenCV's VideoCapture is not thread safe), and closed by that thread's owner
 * after the thread has stopped.
 */
public interface FrameSource extends AutoCloseable {
    /** The next frame as a new BGR image; blocks until a camera delivers it. */
    BufferedImage next() throws IOException;

    /** What the window's header says about the source, such as "webcam 0". */
    String description();

    /** Releases the camera or file. */
    @Override
    void close();
}

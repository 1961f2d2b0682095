package inferbench.bench;

import inferbench.samples.SampleFrames;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The "busy" frame set: frames that cost the server several times what the default face frame
 * does, as webcam frames of people in a room do, made from the one sample photo.
 *
 * <p>The crowd frame: the photo shrunk to {@link #TILE} px and tiled over the whole 1280x720
 * frame (a detailed background: a larger JPEG that takes longer to decode), and in the centre
 * square, the part the pipeline crops and detects in, a 3x3 grid of the photo's head
 * ({@link #HEAD}) at four sizes from 240 down to 192 px, each centred in its 240 px cell: nine
 * faces at several scales, which the Haar cascade follows through many more of its stages than
 * it does a background. The second frame is the crowd mirrored left to right, so the set
 * alternates two different frames as the default one does.
 */
final class BusyFrames {
    static final int TILE = 180;
    /** The head in the 512x512 photo, hair to chin. */
    static final Rect HEAD = new Rect(150, 20, 160, 180);
    static final int GRID = 3;
    static final int SHRINK_STEP = 16;

    private BusyFrames() {
    }

    /** The crowd frame at 1280x720; the caller releases it. */
    static Mat crowd() {
        int width = SampleFrames.WEBCAM_WIDTH;
        int height = SampleFrames.WEBCAM_HEIGHT;
        Mat photo = SampleFrames.astronaut();
        Mat frame = new Mat(height, width, photo.type());
        Mat tile = resized(photo, TILE);
        for (int y = 0; y < height; y += TILE) {
            for (int x = 0; x < width; x += TILE) {
                Rect part = new Rect(0, 0, Math.min(TILE, width - x), Math.min(TILE, height - y));
                tile.submat(part).copyTo(frame.submat(new Rect(x, y, part.width, part.height)));
            }
        }
        tile.release();
        Mat head = photo.submat(HEAD);
        int cell = height / GRID;
        int left = (width - height) / 2;
        for (int row = 0; row < GRID; row++) {
            for (int column = 0; column < GRID; column++) {
                int side = cell - SHRINK_STEP * ((column + 2 * row) % 4);
                Mat face = resized(head, side);
                int inset = (cell - side) / 2;
                face.copyTo(frame.submat(new Rect(left + column * cell + inset, row * cell + inset, side, side)));
                face.release();
            }
        }
        head.release();
        photo.release();
        return frame;
    }

    /** The crowd frame mirrored left to right; the caller releases it. */
    static Mat mirroredCrowd() {
        Mat crowd = crowd();
        Mat mirrored = new Mat();
        Core.flip(crowd, mirrored, 1);
        crowd.release();
        return mirrored;
    }

    private static Mat resized(Mat image, int side) {
        Mat out = new Mat();
        Imgproc.resize(image, out, new Size(side, side), 0, 0, Imgproc.INTER_AREA);
        return out;
    }
}

package inferbench.client.source;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the source a {@code --source} value names. */
public final class FrameSources {
    public static final String USAGE = """
              --source SPEC     where frames come from (default webcam:0):
                                  webcam[:N]   webcam N through OpenCV, asked for 1280x720; when none
                                               can be opened, the bundled sample photo is shown instead
                                  video:PATH   a video file, looped. This OpenCV build has no FFmpeg: only
                                               MJPEG .avi files open; convert others with
                                               ffmpeg -i in.mp4 -c:v mjpeg -q:v 3 -an out.avi
                                  images:PATH  an image file or a folder of images (JPEG, PNG, BMP, GIF),
                                               looped, fitted to 1280x720 with a slow side-to-side pan
                                  sample       the bundled sample photo, the same way
            """;

    private FrameSources() {
    }

    /**
     * @throws IllegalArgumentException for a malformed spec
     * @throws IOException when a video or image source cannot be opened (a missing webcam is not an error)
     */
    public static FrameSource open(String spec, int fps) throws IOException {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String argument = colon < 0 ? "" : spec.substring(colon + 1);
        switch (kind) {
            case "webcam" -> {
                int index = webcamIndex(argument);
                try {
                    return CaptureSource.webcam(index);
                } catch (IOException e) {
                    return ImageSource.sample("sample photo: no webcam could be opened (webcam:" + index + ")", fps);
                }
            }
            case "sample" -> {
                return ImageSource.sample("sample photo", fps);
            }
            case "video" -> {
                return CaptureSource.video(Path.of(required(argument, spec)));
            }
            case "images" -> {
                return ImageSource.of(Path.of(required(argument, spec)), fps);
            }
            default -> throw new IllegalArgumentException("--source '" + spec
                    + "' is not one of webcam[:N], video:PATH, images:PATH, sample");
        }
    }

    private static int webcamIndex(String argument) {
        if (argument.isEmpty()) {
            return 0;
        }
        try {
            int index = Integer.parseInt(argument);
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--source webcam:N needs a camera number 0, 1, ..., got '" + argument + "'");
    }

    private static String required(String argument, String spec) {
        if (argument.isEmpty()) {
            throw new IllegalArgumentException("--source '" + spec + "' needs a path after the colon");
        }
        return argument;
    }
}

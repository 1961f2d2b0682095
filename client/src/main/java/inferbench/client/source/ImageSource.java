package inferbench.client.source;

import inferbench.samples.SampleFrames;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.opencv.core.Mat;

/**
 * Still images as a video: each image is fitted into a 1280x720 frame over a blurred copy of
 * itself and swept slowly from side to side (a synthetic camera pan), so consecutive frames
 * differ as a camera's do, and each one is encoded and detected for real. Every image stays
 * on screen for {@link #SECONDS_PER_IMAGE} seconds, then the next one comes, in a loop.
 *
 * <p>The motion is a function of the frame number, not of the clock, so a run is repeatable.
 * Why a pan and no zoom: on the bundled photo the Haar cascade also fires on the background
 * beside the face (a second, false box) at many scales and sub-pixel offsets; at 96.5% of the
 * fitted size, every position of the sweep was checked to give exactly the one face. Only the
 * image on screen is held in memory: a folder of a thousand photos is read one at a time.
 */
public final class ImageSource implements FrameSource {
    public static final int WIDTH = SampleFrames.WEBCAM_WIDTH;
    public static final int HEIGHT = SampleFrames.WEBCAM_HEIGHT;
    static final int SECONDS_PER_IMAGE = 8;
    /** The sweep: 0.25 px per frame over 96 px, so a loop is 768 frames (about 26 s at 30 fps). */
    static final double PAN_STEP = 0.25;
    static final double PAN_RANGE = 48;
    static final long LOOP_FRAMES = 2 * Math.round(2 * PAN_RANGE / PAN_STEP);
    /** The image at 96.5% of its fitted size (why this value: see the class comment). */
    static final double SCALE = 0.965;
    private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif");

    private final List<Path> files; // empty for the bundled sample
    private final String description;
    private final int fps;
    private long frameNumber;
    private int current = -1;
    private BufferedImage photo;
    private BufferedImage background;

    private ImageSource(List<Path> files, String description, int fps) {
        this.files = files;
        this.description = description;
        this.fps = fps;
    }

    /** The bundled astronaut photo; {@code description} says why it is shown. */
    public static ImageSource sample(String description, int fps) {
        return new ImageSource(List.of(), description, fps);
    }

    /** One image file, or every image in a folder (by name), looped. */
    public static ImageSource of(Path path, int fps) throws IOException {
        List<Path> files;
        if (Files.isDirectory(path)) {
            try (Stream<Path> entries = Files.list(path)) {
                files = entries.filter(ImageSource::isImageFile).sorted().toList();
            }
            if (files.isEmpty()) {
                throw new IOException("no images (" + String.join(", ", EXTENSIONS) + ") in the folder " + path);
            }
        } else if (Files.isRegularFile(path)) {
            files = List.of(path);
        } else {
            throw new IOException("no such file or folder: " + path);
        }
        ImageSource source = new ImageSource(files, "images: " + path + (files.size() > 1 ? " (" + files.size()
                + " images)" : ""), fps);
        source.show(0); // fail now, with the file's name, if the first one cannot be read
        return source;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public BufferedImage next() throws IOException {
        int count = Math.max(1, files.size());
        int index = (int) (frameNumber / ((long) SECONDS_PER_IMAGE * fps) % count);
        if (index != current) {
            show(index);
        }
        return render(frameNumber++);
    }

    @Override
    public void close() {
        photo = null;
        background = null;
    }

    private void show(int index) throws IOException {
        photo = files.isEmpty() ? bundledPhoto() : read(files.get(index));
        background = blurredCover(photo);
        current = index;
    }

    /** Frame {@code n} of the loop: the image swept side to side, {@link #PAN_STEP} pixels per frame. */
    BufferedImage render(long n) {
        long phase = n % LOOP_FRAMES; // a triangle wave: -PAN_RANGE up to +PAN_RANGE and back
        long steps = phase < LOOP_FRAMES / 2 ? phase : LOOP_FRAMES - phase;
        return render(SCALE, -PAN_RANGE + steps * PAN_STEP);
    }

    /** The current image at {@code scale} times its fitted size, its centre moved right by {@code panX}. */
    BufferedImage render(double scale, double panX) {
        double fit = Math.min((double) WIDTH / photo.getWidth(), (double) HEIGHT / photo.getHeight()) * scale;
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(background, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform place = new AffineTransform();
        place.translate(WIDTH / 2.0 + panX, HEIGHT / 2.0);
        place.scale(fit, fit);
        place.translate(-photo.getWidth() / 2.0, -photo.getHeight() / 2.0);
        g.drawImage(photo, place, null);
        g.dispose();
        return out;
    }

    /** The photo scaled to cover the frame, blurred (shrunk to 1/16, grown back) and darkened. */
    private static BufferedImage blurredCover(BufferedImage photo) {
        double cover = Math.max((double) WIDTH / photo.getWidth(), (double) HEIGHT / photo.getHeight());
        int w = (int) Math.ceil(photo.getWidth() * cover / 16);
        int h = (int) Math.ceil(photo.getHeight() * cover / 16);
        BufferedImage tiny = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D t = tiny.createGraphics();
        t.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        t.drawImage(photo, 0, 0, w, h, null);
        t.dispose();
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(tiny, (WIDTH - w * 16) / 2, (HEIGHT - h * 16) / 2, w * 16, h * 16, null);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.55f));
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.dispose();
        return out;
    }

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read the image " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException("cannot read the image " + file + " (supported: JPEG, PNG, BMP, GIF)");
        }
        return MatImages.asBgr(image);
    }

    private static BufferedImage bundledPhoto() {
        Mat astronaut = SampleFrames.astronaut();
        try {
            return MatImages.toImage(astronaut);
        } finally {
            astronaut.release();
        }
    }

    private static boolean isImageFile(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(path) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}

import java.awt.image.BufferedImage;
import java.io.File;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * CI check of the client's --screenshot PNG, run as a single source file (java CheckScreenshot.java
 * FILE.png WIDTH HEIGHT): it has the window's natural size and is not blank (a blank or
 * one-colour window has a handful of colours; the real one, photo and text, has thousands).
 */
public class CheckScreenshot {
    private static final int MIN_COLOURS = 1000;

    public static void main(String[] args) throws Exception {
        BufferedImage image = ImageIO.read(new File(args[0]));
        if (image == null) {
            fail(args[0] + " is not a PNG image");
        }
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        if (image.getWidth() != width || image.getHeight() != height) {
            fail(args[0] + " is " + image.getWidth() + "x" + image.getHeight() + ", expected " + width + "x" + height);
        }
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y += 2) {
            for (int x = 0; x < width; x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        if (colours.size() < MIN_COLOURS) {
            fail(args[0] + " looks blank: " + colours.size() + " colours");
        }
        System.out.println("screenshot ok: " + args[0] + ", " + width + "x" + height + ", " + colours.size()
                + " colours");
    }

    private static void fail(String message) {
        System.err.println("screenshot check failed: " + message);
        System.exit(1);
    }
}

package inferbench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FrameTest {

    @Test
    void theCentreSquareIsTheSquareTheServersCropAndNothingOfTheSides() throws Exception {
        // 1280x720: the pipeline's square is x 280 to 999; the sides are red and blue, the square green.
        BufferedImage image = new BufferedImage(1280, 720, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 280, 720);
        g.setColor(Color.GREEN);
        g.fillRect(280, 0, 720, 720);
        g.setColor(Color.BLUE);
        g.fillRect(1000, 0, 280, 720);
        g.dispose();

        byte[] full = new Frame(1, image, 95, false).jpeg();
        byte[] centre = new Frame(1, image, 95, true).jpeg();
        BufferedImage sent = ImageIO.read(new ByteArrayInputStream(centre));

        assertEquals(720, sent.getWidth());
        assertEquals(720, sent.getHeight());
        for (int x : new int[] {0, 359, 719}) {
            Color c = new Color(sent.getRGB(x, 360));
            assertTrue(c.getGreen() > 200 && c.getRed() < 60 && c.getBlue() < 60, "green at x " + x + ": " + c);
        }
        assertTrue(centre.length < full.length, centre.length + " bytes against " + full.length);
    }
}

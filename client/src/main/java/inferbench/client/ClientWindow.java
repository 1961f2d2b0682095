package inferbench.client;

import java.awt.Canvas;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.Frame;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferStrategy;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;

/**
 * The AWT window: a canvas that shows the renderer's picture, scaled to fit, and the keys.
 *
 * <p>A painter thread renders about 30 times a second into one reused image of the canvas's
 * size and copies it to the canvas through a two-buffer {@link BufferStrategy}: the screen only
 * ever receives a finished picture, so nothing flickers, and AWT's own repaint is switched off.
 */
final class ClientWindow {
    static final String TITLE = "inferbench: REST vs gRPC    keys: " + Controls.KEYS;
    private static final long FRAME_MILLIS = 33;

    private final LiveSession session;
    private final Runnable onQuit;
    private final WindowRenderer renderer = new WindowRenderer();
    private final Thread painter = new Thread(this::paintLoop, "painter");
    private volatile boolean open = true;
    private volatile long paints;
    private Frame frame;
    private Canvas canvas;
    private BufferedImage picture; // the window at the canvas's size; painter thread only

    /** @param onQuit called (on the AWT thread) for q, Esc or closing the window */
    ClientWindow(LiveSession session, Runnable onQuit) {
        this.session = session;
        this.onQuit = onQuit;
    }

    /** Opens the window; throws java.awt.AWTError or HeadlessException when there is no display. */
    void show() throws InterruptedException {
        try {
            EventQueue.invokeAndWait(this::build);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error; // AWTError: no display
            }
            throw new IllegalStateException(e.getCause());
        }
        painter.setDaemon(true);
        painter.start();
    }

    long paints() {
        return paints;
    }

    void close() {
        open = false;
        try {
            painter.join(1000);
            if (frame != null) {
                EventQueue.invokeAndWait(frame::dispose);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException e) {
            // the window is gone already
        }
    }

    private void build() {
        frame = new Frame(TITLE);
        canvas = new Canvas();
        canvas.setIgnoreRepaint(true);
        canvas.setBackground(Theme.BACKGROUND);
        canvas.setPreferredSize(fitToScreen());
        frame.add(canvas);
        frame.pack();
        frame.setLocationRelativeTo(null);
        KeyAdapter keys = new KeyAdapter() {
            @Override
            public void keyTyped(KeyEvent e) {
                act(session.controls().press(e.getKeyChar()));
            }

            @Override
            public void keyPressed(KeyEvent e) {
                if (e.getKeyCode() == KeyEvent.VK_ESCAPE) { // not every platform types Esc as a character
                    act(Controls.Action.QUIT);
                }
            }
        };
        canvas.addKeyListener(keys);
        frame.addKeyListener(keys);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                act(Controls.Action.QUIT);
            }
        });
        frame.setVisible(true);
        canvas.createBufferStrategy(2);
        canvas.requestFocus();
    }

    private void act(Controls.Action action) {
        switch (action) {
            case RESET -> session.resetMetrics();
            case QUIT -> onQuit.run();
            default -> {
                // mode and save live in Controls; the next picture shows them
            }
        }
    }

    /** The natural size, or smaller to fit the screen (less its taskbar and the window's title bar). */
    private static Dimension fitToScreen() {
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        Dimension fitted = fitted(screen.width - 16, screen.height - 48);
        return fitted.width < WindowRenderer.WIDTH ? fitted : new Dimension(WindowRenderer.WIDTH, WindowRenderer.HEIGHT);
    }

    /** The largest size with the window's shape that fits in width x height. */
    private static Dimension fitted(int width, int height) {
        double scale = Math.min((double) width / WindowRenderer.WIDTH, (double) height / WindowRenderer.HEIGHT);
        return new Dimension((int) (WindowRenderer.WIDTH * scale), (int) (WindowRenderer.HEIGHT * scale));
    }

    private void paintLoop() {
        while (open) {
            long start = System.nanoTime();
            Dimension size = fitted(canvas.getWidth(), canvas.getHeight());
            if (size.width > 0 && size.height > 0) {
                if (picture == null || picture.getWidth() != size.width || picture.getHeight() != size.height) {
                    picture = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
                }
                renderer.render(session.view(), picture);
                blit();
                paints++;
            }
            long left = FRAME_MILLIS - (System.nanoTime() - start) / 1_000_000;
            try {
                Thread.sleep(Math.max(1, left));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Copies the picture, centred, to the back buffer, then shows it. */
    private void blit() {
        BufferStrategy strategy = canvas.getBufferStrategy();
        if (strategy == null) {
            return;
        }
        int x = (canvas.getWidth() - picture.getWidth()) / 2;
        int y = (canvas.getHeight() - picture.getHeight()) / 2;
        do {
            do {
                Graphics2D g = (Graphics2D) strategy.getDrawGraphics();
                try {
                    g.setColor(Theme.BACKGROUND);
                    g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
                    g.drawImage(picture, x, y, null);
                } finally {
                    g.dispose();
                }
            } while (strategy.contentsRestored());
            strategy.show();
        } while (strategy.contentsLost());
        Toolkit.getDefaultToolkit().sync(); // X11 queues drawing; flush it so frames appear evenly
    }
}

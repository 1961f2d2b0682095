package inferbench.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in-process and headless (the build sets java.awt.headless). */
@Timeout(60)
class ClientAppTest {
    @BeforeAll
    static void runsHeadless() {
        assertTrue(GraphicsEnvironment.isHeadless(), "these tests expect -Djava.awt.headless=true");
    }

    @Test
    void withoutADisplayExplainsHowToRunInsteadOfFailing() {
        Run run = Run.of("--source", "sample");
        assertEquals(2, run.code);
        assertTrue(run.err.startsWith("client: there is no display to open the window on"), run.err);
        assertTrue(run.err.contains("--screenshot FILE.png --frames N"), run.err);
        assertTrue(!run.err.contains("Exception"), run.err);
    }

    @Test
    void helpListsTheOptionsTheKeysAndWhichVideosWork() {
        Run run = Run.of("--help");
        assertEquals(0, run.code);
        for (String text : new String[] {"--rest URL", "--grpc HOST:PORT", "--grpc-mode", "--timeout S",
                "REQUEST_TIMEOUT", "--source",
                "--mode 1|2|3", "--save", "--fps", "--quality", "--screenshot", "--frames", "webcam[:N]", "images:PATH",
                "no FFmpeg", "MJPEG .avi files open", Controls.KEYS}) {
            assertTrue(run.out.contains(text), "help mentions " + text + ":\n" + run.out);
        }
    }

    @Test
    void refusesUnknownAndMalformedOptionsWithAMessage() {
        assertEquals("client: unknown option --colour (see --help)", Run.of("--colour", "red").err.strip());
        assertEquals("client: --grpc-mode must be unary or stream, got 'bidi'", Run.of("--grpc-mode", "bidi").err.strip());
        assertEquals("client: --mode must be 1 (REST only), 2 (gRPC only) or 3 (both), got 4",
                Run.of("--mode", "4").err.strip());
        assertEquals("client: --quality: 101 is out of range [1, 100]", Run.of("--quality", "101").err.strip());
        assertEquals("client: --frames goes with --screenshot FILE.png", Run.of("--frames", "3").err.strip());
        assertEquals("client: cannot open --source video:/nonexistent.avi: no such video file: /nonexistent.avi",
                Run.of("--source", "video:/nonexistent.avi", "--screenshot", "/tmp/x.png").err.strip());
    }

    @Test
    void writesTheScreenshotEvenWhenBothServersAreDown(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("shots/down.png");
        Run run = Run.of("--source", "sample", "--rest", "http://127.0.0.1:1/predict", "--grpc", "127.0.0.1:1",
                "--screenshot", png.toString(), "--frames", "1"); // a failed frame costs a retry pause
        assertEquals(1, run.code, "no answer: a failed smoke test\n" + run.err);
        assertTrue(run.err.contains("REST: no reply (cannot connect (server down?)); 0 replies, 1 error,"), run.err);
        assertTrue(run.err.contains("gRPC: no reply (cannot connect (server down?))"), run.err);
        assertTrue(run.err.contains("client: REST answered no frame OK (cannot connect (server down?))"), run.err);
        BufferedImage picture = ImageIO.read(png.toFile());
        assertEquals(WindowRenderer.WIDTH, picture.getWidth());
        assertEquals(WindowRenderer.HEIGHT, picture.getHeight());
    }

    /** One in-process run with its exit code and what it printed. */
    record Run(int code, String out, String err) {
        static synchronized Run of(String... args) {
            PrintStream out = System.out;
            PrintStream err = System.err;
            ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
            ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
            try {
                System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
                int code = ClientApp.run(args);
                return new Run(code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(out);
                System.setErr(err);
            }
        }
    }
}

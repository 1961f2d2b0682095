package inferbench.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.ParityFrames;
import inferbench.samples.SampleFrames;
import inferbench.storage.ResultStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

class DetectionPipelineTest {
    /** What the original Python service answers for the parity frame, in 720 space. */
    private static final float[] PYTHON_BOX = {244.8f, 91.2f, 141.6f, 141.6f};
    /** One 300-space pixel: OpenCV versions may round a detection differently by that much. */
    private static final float ONE_DETECT_PIXEL = 2.4f;

    private static DetectionPipeline pipeline;
    private static byte[] faceJpeg;
    private static byte[] twoFaceJpeg;
    private static byte[] noFaceJpeg;

    @BeforeAll
    static void loadPipeline(@TempDir Path storage) {
        pipeline = new DetectionPipeline(new FaceDetector(null), new ResultStore(storage, Clock.systemUTC()),
                PipelineSettings.DEFAULT_MAX_PIXELS, DecodeMode.EXACT);
        faceJpeg = SampleFrames.faceJpeg();
        twoFaceJpeg = SampleFrames.twoFaceJpeg();
        noFaceJpeg = SampleFrames.noFaceJpeg();
    }

    static float[] coords(Box b) {
        return new float[] {b.x(), b.y(), b.w(), b.h()};
    }

    @Test
    void findsTheSameFaceAsTheOriginalPythonServiceOnTheParityFrame() throws Exception {
        DetectionResult result = pipeline.process(faceJpeg, false, "REST");
        assertEquals(1, result.detectionCount());
        assertArrayEquals(PYTHON_BOX, coords(result.boxes().get(0)), ONE_DETECT_PIXEL);
    }

    @Test
    void reportsOneFaceWithTheOriginalLabelScoreAndStatus() throws Exception {
        DetectionResult result = pipeline.process(faceJpeg, false, "REST");
        // measured once with OpenCV 4.9.0 (org.openpnp) and written down here
        assertArrayEquals(new float[] {244.8f, 91.2f, 141.6f, 141.6f}, coords(result.boxes().get(0)), 0.01f);
        assertEquals("face", result.label());
        assertEquals(List.of(0.9f), result.scores());
        assertEquals("OK", result.status());
        assertEquals("", result.filename());
        assertTrue(result.latencyMs() > 0);
    }

    @Test
    void findsBothFacesOnTheTwoFaceFrame() throws Exception {
        DetectionResult result = pipeline.process(twoFaceJpeg, false, "REST");
        assertEquals(2, result.detectionCount());
        List<Box> byX = new ArrayList<>(result.boxes());
        byX.sort((a, b) -> Float.compare(a.x(), b.x()));
        assertArrayEquals(new float[] {108f, 268.8f, 144f, 144f}, coords(byX.get(0)), 2 * ONE_DETECT_PIXEL);
        assertArrayEquals(new float[] {468f, 268.8f, 144f, 144f}, coords(byX.get(1)), 2 * ONE_DETECT_PIXEL);
    }

    @Test
    void findsNoFaceOnTheNoiseFrame() throws Exception {
        DetectionResult result = pipeline.process(noFaceJpeg, false, "REST");
        assertEquals(0, result.detectionCount());
        assertEquals("NO_DETECTION", result.status());
        assertEquals(List.of(), result.scores());
    }

    @Test
    void eightThreadsGiveTheSameBoxesAsOneThread() throws Exception {
        byte[][] frames = {faceJpeg, twoFaceJpeg, noFaceJpeg};
        List<List<Box>> expected = new ArrayList<>();
        for (byte[] frame : frames) {
            expected.add(pipeline.process(frame, false, "REST").boxes());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Box>>> futures = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                byte[] frame = frames[i % frames.length];
                futures.add(pool.submit(() -> pipeline.process(frame, false, "REST").boxes()));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(sorted(expected.get(i % frames.length)), sorted(futures.get(i).get()), "request " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Box> sorted(List<Box> boxes) {
        List<Box> copy = new ArrayList<>(boxes);
        copy.sort((a, b) -> Float.compare(a.x(), b.x()));
        return copy;
    }

    @Test
    void refusesATruncatedJpeg() {
        byte[] half = Arrays.copyOf(faceJpeg, faceJpeg.length / 2);
        assertRefused(half, "truncated JPEG: the data does not end with the end-of-image marker FF D9");
    }

    @Test
    void refusesRandomBytes() {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        noise[0] = 0x12;
        assertRefused(noise, "not a JPEG: the data does not start with the JPEG SOI marker FF D8");
    }

    @Test
    void refusesAPng() throws Exception {
        byte[] png;
        try (var in = SampleFrames.class.getResourceAsStream(SampleFrames.ASTRONAUT)) {
            png = in.readAllBytes();
        }
        assertRefused(png, "not a JPEG: the data is a PNG image (only image/jpeg is supported)");
    }

    @Test
    void refusesAnEmptyArray() {
        assertRefused(new byte[0], "empty image: no bytes received");
    }

    @Test
    void refusesAJpegWhoseHeaderIsValidButWhosePixelsCannotBeDecoded() {
        assertRefused(JpegHeaderTest.headerOnly(100, 100), "invalid JPEG: OpenCV could not decode the image data");
    }

    @Test
    void refusesA60000x60000HeaderWithoutAllocatingItsPixels() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] header = JpegHeaderTest.headerOnly(60000, 60000);
        long before = threads.getCurrentThreadAllocatedBytes();
        var e = assertThrows(InvalidImageException.class, () -> pipeline.process(header, false, "REST"));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().startsWith("image 60000x60000 is too large"), e.getMessage());
        assertTrue(allocated < 1_000_000, "allocated " + allocated + " bytes on the heap");
    }

    private static void assertRefused(byte[] data, String message) {
        var e = assertThrows(InvalidImageException.class, () -> pipeline.process(data, false, "REST"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void cropsTheCentreOfALandscapeFrame() {
        assertCentreCropped(1280, 720);
    }

    @Test
    void cropsTheCentreOfAPortraitFrame() {
        assertCentreCropped(480, 640);
    }

    @Test
    void keepsASquare720FrameAsItIs() {
        assertCentreCropped(720, 720);
    }

    @Test
    void scalesUpAFrameSmallerThan720() {
        assertCentreCropped(200, 100);
    }

    /**
     * Paints the centre square's top half red and its bottom half blue, the rest black; after
     * cropping, the 720x720 result must be all red above and all blue below: nothing black
     * from outside the square, nothing flipped.
     */
    private static void assertCentreCropped(int width, int height) {
        int side = Math.min(width, height);
        int x0 = (width - side) / 2;
        int y0 = (height - side) / 2;
        Mat image = new Mat(height, width, CvType.CV_8UC3, new Scalar(0, 0, 0));
        image.submat(new Rect(x0, y0, side, side / 2)).setTo(new Scalar(0, 0, 255));
        image.submat(new Rect(x0, y0 + side / 2, side, side - side / 2)).setTo(new Scalar(255, 0, 0));
        Mat crop = DetectionPipeline.cropTo720(image);
        try {
            assertEquals(720, crop.cols());
            assertEquals(720, crop.rows());
            Scalar top = Core.mean(crop.submat(new Rect(0, 0, 720, 340)));
            Scalar bottom = Core.mean(crop.submat(new Rect(0, 380, 720, 340)));
            assertArrayEquals(new double[] {0, 0, 255, 0}, top.val, 0.5, "top half is red");
            assertArrayEquals(new double[] {255, 0, 0, 0}, bottom.val, 0.5, "bottom half is blue");
        } finally {
            image.release();
            crop.release();
        }
    }

    private static DetectionPipeline pipelineWith(ResultStore store, DecodeMode mode) {
        return new DetectionPipeline(new FaceDetector(null), store, PipelineSettings.DEFAULT_MAX_PIXELS, mode);
    }

    @Test
    void givesTheOriginalsAnswerOnEveryParityFrame() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (ParityFrames.Frame frame : ParityFrames.all()) {
            String mismatch = frame.mismatch(coords(pipeline.process(frame.jpeg(), false, "REST").boxes()));
            if (!mismatch.isEmpty()) {
                mismatches.add(mismatch);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** The crowd frames on which the approximate decode answers otherwise, some with and some without saving. */
    @Test
    void savingDoesNotChangeTheAnswerInEitherMode(@TempDir Path dir) throws Exception {
        List<ParityFrames.Frame> frames = ParityFrames.all().stream()
                .filter(f -> List.of("p01-05-640x480-q80.jpg", "p01-15-640x480-q80.jpg", "p01-19-1920x1080-q80.jpg")
                        .contains(f.name())).toList();
        assertEquals(3, frames.size());
        for (DecodeMode mode : DecodeMode.values()) {
            DetectionPipeline modal = pipelineWith(new ResultStore(dir.resolve(mode.flag), Clock.systemUTC()), mode);
            for (ParityFrames.Frame frame : frames) {
                assertEquals(sorted(modal.process(frame.jpeg(), false, "REST").boxes()),
                        sorted(modal.process(frame.jpeg(), true, "REST").boxes()), mode + " " + frame.name());
            }
        }
    }

    @Test
    void theApproximateDecodeStillFindsTheSampleFramesFaces(@TempDir Path dir) throws Exception {
        DetectionPipeline approximate = pipelineWith(new ResultStore(dir, Clock.systemUTC()), DecodeMode.APPROXIMATE);
        for (byte[] frame : List.of(faceJpeg, twoFaceJpeg, noFaceJpeg)) {
            assertEquals(sorted(pipeline.process(frame, false, "REST").boxes()),
                    sorted(approximate.process(frame, false, "REST").boxes()));
        }
    }

    private static List<float[]> coords(List<Box> boxes) {
        return boxes.stream().map(DetectionPipelineTest::coords).toList();
    }

    @Test
    void refusesATinyFileDeclaringAHugeFrameBeforeDecodingIt() {
        var e = assertThrows(InvalidImageException.class,
                () -> pipeline.process(JpegHeaderTest.tinyFileDeclaringAHugeFrame(), false, "REST"));
        assertTrue(e.getMessage().startsWith("implausible JPEG: it declares 4096x4096"), e.getMessage());
    }

    @Test
    void theApproximateModeStillSavesTheCropInColour(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, Clock.systemUTC());
        DetectionResult result = pipelineWith(store, DecodeMode.APPROXIMATE).process(faceJpeg, true, "REST");
        Mat saved = org.opencv.imgcodecs.Imgcodecs.imread(dir.resolve(result.filename()).toString());
        Scalar mean = Core.mean(saved);
        saved.release();
        assertTrue(Math.abs(mean.val[0] - mean.val[2]) > 5, "blue and red channels differ: " + mean);
    }

    @Test
    void savingWritesTheCropAndOneCsvRowWithTheProtocol(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, Clock.systemUTC());
        DetectionPipeline saving = pipelineWith(store, DecodeMode.EXACT);
        DetectionResult result = saving.process(faceJpeg, true, "gRPC");
        assertTrue(result.filename().matches("\\d{8}_\\d{6}_\\d{3}\\.jpg"), result.filename());
        assertEquals("", result.saveError());
        Mat saved = org.opencv.imgcodecs.Imgcodecs.imread(dir.resolve(result.filename()).toString());
        assertEquals(720, saved.cols());
        assertEquals(720, saved.rows());
        saved.release();
        List<String> lines = java.nio.file.Files.readAllLines(store.directory().resolve(ResultStore.CSV_NAME));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("," + result.filename() + ",haar_v1,face,1,\"[[244.8,91.2,141.6,141.6]]\",\"[0.9]\","),
                lines.get(1));
        assertTrue(lines.get(1).endsWith(",gRPC,OK"), lines.get(1));
    }

    @Test
    void aFailedSaveIsReportedAndTheDetectionIsStillReturned(@TempDir Path dir) throws Exception {
        Path storage = dir.resolve("storage");
        ResultStore store = new ResultStore(storage, Clock.systemUTC());
        store.close();
        java.nio.file.Files.delete(storage.resolve(".lock"));
        java.nio.file.Files.delete(storage);
        java.nio.file.Files.writeString(storage, "a file where the directory was");
        DetectionPipeline saving = pipelineWith(store, DecodeMode.EXACT);
        DetectionResult result = saving.process(faceJpeg, true, "REST");
        assertEquals(1, result.detectionCount());
        assertEquals("", result.filename());
        assertTrue(result.saveError().startsWith("could not save the image: "), result.saveError());
    }
}

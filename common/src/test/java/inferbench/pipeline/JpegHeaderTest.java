package inferbench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.samples.SampleFrames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class JpegHeaderTest {
    private static final long CAP = PipelineSettings.DEFAULT_MAX_PIXELS;

    static {
        OpenCv.load();
    }

    /** SOI, an APP0 segment, SOF0 declaring width x height, EOI: a header without pixels. */
    static byte[] headerOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE0, 0, 4, 'h', 'i'});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 11, 8,
                (byte) (height >> 8), (byte) height, (byte) (width >> 8), (byte) width, 1, 1, 0x11, 0});
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
        return out.toByteArray();
    }

    @Test
    void readsTheFrameSizeOfARealJpeg() throws Exception {
        assertEquals(new JpegHeader(1280, 720), JpegHeader.check(ByteBuffer.wrap(SampleFrames.faceJpeg()), CAP));
    }

    @Test
    void refusesAHeaderDeclaring60000x60000() {
        var e = assertThrows(InvalidImageException.class,
                () -> JpegHeader.check(ByteBuffer.wrap(headerOnly(60000, 60000)), CAP));
        assertTrue(e.getMessage().contains("60000x60000"), e.getMessage());
        assertTrue(e.getMessage().contains("16384"), e.getMessage());
    }

    @Test
    void refusesAnImageOverTheMegapixelCap() {
        var e = assertThrows(InvalidImageException.class,
                () -> JpegHeader.check(ByteBuffer.wrap(headerOnly(10000, 6000)), CAP));
        assertEquals("image 10000x6000 has 60.0 megapixels, over the limit of 16.8 megapixels", e.getMessage());
    }

    @Test
    void acceptsAnImageExactlyAtTheConfiguredCap() throws Exception {
        assertEquals(new JpegHeader(100, 100), JpegHeader.check(ByteBuffer.wrap(headerOnly(100, 100)), 10_000));
        assertThrows(InvalidImageException.class,
                () -> JpegHeader.check(ByteBuffer.wrap(headerOnly(101, 100)), 10_000));
    }

    @Test
    void skipsFillBytesBeforeAMarker() throws Exception {
        byte[] plain = headerOnly(640, 480);
        byte[] filled = new byte[plain.length + 2];
        System.arraycopy(plain, 0, filled, 0, 2);
        filled[2] = (byte) 0xFF;
        filled[3] = (byte) 0xFF;
        System.arraycopy(plain, 2, filled, 4, plain.length - 2);
        assertEquals(new JpegHeader(640, 480), JpegHeader.parse(ByteBuffer.wrap(filled)));
    }

    @Test
    void refusesAZeroSizedFrame() {
        var e = assertThrows(InvalidImageException.class,
                () -> JpegHeader.parse(ByteBuffer.wrap(headerOnly(0, 480))));
        assertTrue(e.getMessage().contains("zero"), e.getMessage());
    }

    @Test
    void refusesScanDataBeforeAnyFrameHeader() {
        byte[] data = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2, (byte) 0xFF, (byte) 0xD9};
        var e = assertThrows(InvalidImageException.class, () -> JpegHeader.parse(ByteBuffer.wrap(data)));
        assertTrue(e.getMessage().contains("before any frame header"), e.getMessage());
    }

    @Test
    void refusesAHeaderCutInsideASegment() {
        byte[] data = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F'};
        var e = assertThrows(InvalidImageException.class, () -> JpegHeader.parse(ByteBuffer.wrap(data)));
        assertTrue(e.getMessage().startsWith("truncated JPEG"), e.getMessage());
    }

    /** A real 16x16 JPEG whose frame header says 4096x4096: libjpeg would decode it, all grey. */
    static byte[] tinyFileDeclaringAHugeFrame() {
        Mat small = new Mat(16, 16, CvType.CV_8UC3, new Scalar(90, 90, 90));
        byte[] jpeg = SampleFrames.encodeJpeg(small, 95);
        small.release();
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) { // SOF0
                jpeg[i + 5] = 0x10; // height 4096
                jpeg[i + 6] = 0;
                jpeg[i + 7] = 0x10; // width 4096
                jpeg[i + 8] = 0;
                return jpeg;
            }
        }
        throw new IllegalStateException("no SOF0 in the encoded JPEG");
    }

    @Test
    void refusesAFileFarTooSmallForTheFrameItDeclares() {
        byte[] jpeg = tinyFileDeclaringAHugeFrame();
        var e = assertThrows(InvalidImageException.class, () -> JpegHeader.check(ByteBuffer.wrap(jpeg), CAP));
        assertEquals("implausible JPEG: it declares 4096x4096 (16.8 megapixels) in only " + jpeg.length
                + " bytes, and a real frame that size takes at least 16778 (1 byte per 1000 pixels); decoding it"
                + " would cost as much as a real frame", e.getMessage());
    }

    @Test
    void acceptsTheFlattestFramesAStandardEncoderMakes() throws Exception {
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            Mat flat = new Mat(size[1], size[0], CvType.CV_8UC3, new Scalar(0, 0, 0));
            MatOfByte jpeg = new MatOfByte();
            MatOfInt progressive = new MatOfInt(Imgcodecs.IMWRITE_JPEG_PROGRESSIVE, 1,
                    Imgcodecs.IMWRITE_JPEG_OPTIMIZE, 1);
            assertTrue(Imgcodecs.imencode(".jpg", flat, jpeg, progressive));
            assertEquals(new JpegHeader(size[0], size[1]), JpegHeader.check(ByteBuffer.wrap(jpeg.toArray()), CAP));
            flat.release();
            jpeg.release();
            progressive.release();
        }
    }
}

package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MultipartBodyTest {
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 0x0D, 0x0A, 0x2D, 0x2D, (byte) 0xFF, (byte) 0xD9};

    @Test
    void laysTheBodyOutByteForByteAsPythonRequestsDoes() {
        MultipartBody body = MultipartBody.withBoundary(JPEG, "0123456789abcdef0123456789abcdef");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(("--0123456789abcdef0123456789abcdef\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"frame.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(JPEG);
        expected.writeBytes("\r\n--0123456789abcdef0123456789abcdef--\r\n".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected.toByteArray(), body.bytes());
        assertEquals("multipart/form-data; boundary=0123456789abcdef0123456789abcdef", body.contentType());
    }

    @Test
    void addsExactlyTheFramingAroundTheJpeg() {
        MultipartBody body = MultipartBody.withBoundary(new byte[1000], "b");
        // "--b\r\n" + 67-byte disposition line + 26-byte type line + "\r\n" before, "\r\n--b--\r\n" after
        assertEquals(5 + 67 + 26 + 2 + 1000 + 9, body.bytes().length);
    }

    @Test
    void makesAFreshRandomBoundaryOfThirtyTwoHexDigits() {
        MultipartBody a = MultipartBody.of(JPEG);
        MultipartBody b = MultipartBody.of(JPEG);
        assertTrue(a.boundary().matches("[0-9a-f]{32}"), a.boundary());
        assertNotEquals(a.boundary(), b.boundary());
    }

    @Test
    void refusesABoundaryRfc2046DoesNotAllow() {
        assertThrows(IllegalArgumentException.class, () -> MultipartBody.withBoundary(JPEG, ""));
        assertThrows(IllegalArgumentException.class, () -> MultipartBody.withBoundary(JPEG, "x".repeat(71)));
    }
}

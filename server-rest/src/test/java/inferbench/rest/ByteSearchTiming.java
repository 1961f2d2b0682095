package inferbench.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Not a test: the measurement behind {@link ByteSearch} (docs/performance-notes.md). For each
 * JPEG given, the multipart delimiter is searched for over a form holding that frame, by
 * ByteSearch and by the plain scan a student would write, in turn, 15 rounds of 500 searches
 * after 5 uncounted ones; it prints the median microseconds per search of each. Run with
 * {@code java -cp server-rest/target/classes:server-rest/target/test-classes
 * inferbench.rest.ByteSearchTiming FRAME.jpg ...} after {@code ./mvnw -q test-compile -pl server-rest -am}.
 */
public final class ByteSearchTiming {
    private ByteSearchTiming() {
    }

    static int plainIndexOf(byte[] data, byte[] pattern, int from, int to) {
        search:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (data[i + k] != pattern[k]) {
                    continue search;
                }
            }
            return i;
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        String boundary = "0123456789abcdef0123456789abcdef"; // 32 characters, as the clients send
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        for (String file : args) {
            byte[] jpeg = Files.readAllBytes(Path.of(file));
            ByteArrayOutputStream form = new ByteArrayOutputStream();
            form.write(Forms.text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
                    + " filename=\"f.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"));
            int start = form.size();
            form.write(jpeg);
            form.write(Forms.text("\r\n--" + boundary + "--\r\n"));
            byte[] body = form.toByteArray();
            double[][] micros = new double[2][15];
            for (int round = -5; round < 15; round++) {
                for (int which = 0; which < 2; which++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 500; i++) {
                        int at = which == 0 ? ByteSearch.indexOf(body, delimiter, start, body.length)
                                : plainIndexOf(body, delimiter, start, body.length);
                        if (at != start + jpeg.length) {
                            throw new AssertionError("found at " + at);
                        }
                    }
                    if (round >= 0) {
                        micros[which][round] = (System.nanoTime() - t0) / 1e3 / 500;
                    }
                }
            }
            Arrays.sort(micros[0]);
            Arrays.sort(micros[1]);
            System.out.printf("%s, %,d bytes: ByteSearch %.1f us, plain scan %.1f us"
                    + " (medians; ranges %.1f-%.1f and %.1f-%.1f)%n", Path.of(file).getFileName(), jpeg.length,
                    micros[0][7], micros[1][7], micros[0][0], micros[0][14], micros[1][0], micros[1][14]);
        }
    }
}

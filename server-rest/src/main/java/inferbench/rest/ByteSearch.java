package inferbench.rest;

import java.util.Arrays;

/**
 * The multipart parser's one tuned part: where a delimiter occurs in a body, found with
 * Boyer-Moore-Horspool rather than the plain scan a student would write (a loop over every start
 * position comparing the pattern). The window of a 36-byte delimiter (a 32-character boundary)
 * is compared from its last byte, and on a mismatch slides as far as that byte allows: in JPEG
 * data, mostly 36 bytes at a time, where a plain scan looks at every byte of the image. On a
 * webcam frame the plain scan takes several times as long, a measurable part of a REST call's
 * overhead (docs/performance-notes.md, 2026-12-06).
 */
final class ByteSearch {
    private ByteSearch() {
    }

    /** First index of {@code pattern} in {@code data[from, to)}, or -1: what the plain scan finds. */
    static int indexOf(byte[] data, byte[] pattern, int from, int to) {
        int m = pattern.length;
        int[] slide = new int[256];
        Arrays.fill(slide, m);
        for (int k = 0; k < m - 1; k++) {
            slide[pattern[k] & 0xff] = m - 1 - k;
        }
        for (int i = from; i <= to - m; i += slide[data[i + m - 1] & 0xff]) {
            int k = m - 1;
            while (k >= 0 && data[i + k] == pattern[k]) {
                k--;
            }
            if (k < 0) {
                return i;
            }
        }
        return -1;
    }
}

package inferbench.rest;

import static inferbench.rest.Forms.concat;
import static inferbench.rest.Forms.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import inferbench.rest.MultipartParser.Part;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartParserTest {
    private static final String B = "xYz123";
    private static final byte[] JPEG = fakeJpeg();

    private static List<Part> parse(byte[] body) throws HttpError {
        return MultipartParser.parse(body, HeaderValue.parse(Forms.contentType(B)));
    }

    /** The body is refused with 400 and this detail: the rule that fired, not just any refusal. */
    private static void assertRefused(String detail, byte[] body) {
        HttpError error = assertThrows(HttpError.class, () -> parse(body));
        assertEquals(400, error.status());
        assertEquals(detail, error.detail());
    }

    /** Not a real JPEG (the parser does not look inside), but with CR, LF and dashes in it. */
    private static byte[] fakeJpeg() {
        byte[] bytes = new byte[600];
        new Random(7).nextBytes(bytes);
        bytes[100] = '\r';
        bytes[101] = '\n';
        bytes[102] = '-';
        bytes[103] = '-';
        return bytes;
    }

    @Test
    void readsThePartsNamesFileNameTypeAndExactContent() throws HttpError {
        List<Part> parts = parse(Forms.fileForm(B, JPEG));
        assertEquals(1, parts.size());
        assertEquals("file", parts.get(0).name());
        assertEquals("frame.jpg", parts.get(0).filename());
        assertEquals("image/jpeg", parts.get(0).contentType());
        assertArrayEquals(JPEG, bytes(parts.get(0)));
    }

    @Test
    void ignoresThePreambleAndTheEpilogue() throws HttpError {
        byte[] body = concat(text("This is a preamble.\r\n"), Forms.part(B, text("v"), "Content-Disposition: form-data; name=\"a\""),
                text("--" + B + "--\r\nThis is an epilogue, no CRLF needed"));
        List<Part> parts = parse(body);
        assertEquals(1, parts.size());
        assertEquals("v", new String(bytes(parts.get(0))));
    }

    @Test
    void acceptsTransportPaddingAfterABoundary() throws HttpError {
        byte[] body = text("--" + B + " \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" + B + "--");
        assertEquals("v", new String(bytes(parse(body).get(0))));
    }

    @Test
    void keepsACrlfThatEndsTheContentBecauseOnlyTheLastCrlfBelongsToTheDelimiter() throws HttpError {
        byte[] body = text("--" + B + "\r\n\r\nline\r\n\r\n--" + B + "--\r\n");
        assertEquals("line\r\n", new String(bytes(parse(body).get(0))));
    }

    @Test
    void readsAPartWithoutHeadersAsTextPlainWithoutAName() throws HttpError {
        Part part = parse(text("--" + B + "\r\n\r\nv\r\n--" + B + "--")).get(0);
        assertNull(part.name());
        assertEquals("text/plain", part.contentType());
    }

    @Test
    void readsAnEmptyPart() throws HttpError {
        assertEquals(0, parse(text("--" + B + "\r\nContent-Type: image/jpeg\r\n\r\n\r\n--" + B + "--")).get(0).content().remaining());
    }

    @Test
    void treatsTheBoundaryAsContentWhenItIsNotAtTheStartOfALine() throws HttpError {
        byte[] body = text("--" + B + "\r\n\r\nsee --" + B + " here\r\n--" + B + "--");
        assertEquals("see --" + B + " here", new String(bytes(parse(body).get(0))));
    }

    @Test
    void readsPartsInOrder() throws HttpError {
        byte[] body = concat(Forms.part(B, text("1"), "Content-Disposition: form-data; name=\"one\""),
                Forms.part(B, text("2"), "Content-Disposition: form-data; name=\"two\""), Forms.close(B));
        List<Part> parts = parse(body);
        assertEquals(List.of("one", "two"), parts.stream().map(Part::name).toList());
    }

    @Test
    void refusesAContentTypeWithoutABoundary() {
        HttpError error = assertThrows(HttpError.class,
                () -> MultipartParser.parse(Forms.fileForm(B, JPEG), HeaderValue.parse("multipart/form-data")));
        assertEquals(400, error.status());
        assertEquals("multipart body without a boundary: Content-Type needs a boundary parameter", error.detail());
    }

    @Test
    void refusesABoundaryLongerThan70Characters() {
        String longBoundary = "b".repeat(71);
        HttpError error = assertThrows(HttpError.class, () -> MultipartParser.parse(Forms.fileForm(longBoundary, JPEG),
                HeaderValue.parse(Forms.contentType(longBoundary))));
        assertEquals(400, error.status());
        assertEquals("invalid multipart boundary: it must be 1 to 70 ASCII characters (RFC 2046)", error.detail());
    }

    @Test
    void refusesABodyWithoutTheBoundary() {
        assertRefused("malformed multipart body: the boundary from Content-Type never occurs", text("just some text"));
    }

    @Test
    void refusesATruncatedBodyAsMissingItsClosingBoundary() {
        byte[] whole = Forms.fileForm(B, JPEG);
        assertRefused("malformed multipart body: missing closing boundary (truncated body?)", Arrays.copyOf(whole, whole.length - 10));
        assertRefused("malformed multipart body: missing closing boundary (the body ends in part headers)", Arrays.copyOf(whole, 30));
    }

    @Test
    void refusesABoundaryLineThatDoesNotEndWithCrlf() {
        assertRefused("malformed multipart body: a boundary line must end with CRLF",
                text("--" + B + "\nContent-Type: text/plain\n\nv\n--" + B + "--"));
    }

    @Test
    void refusesPartHeadersOver8KiB() {
        byte[] body = concat(Forms.part(B, JPEG, "Content-Disposition: form-data; name=\"file\"",
                "X-Padding: " + "p".repeat(MultipartParser.MAX_PART_HEADER_BYTES)), Forms.close(B));
        assertRefused("malformed multipart body: part headers too large (over " + MultipartParser.MAX_PART_HEADER_BYTES + " bytes)", body);
    }

    @Test
    void refusesAPartHeaderLineWithoutAColon() {
        assertRefused("malformed multipart body: part header line without a name and ':'",
                concat(Forms.part(B, JPEG, "Content-Disposition form-data"), Forms.close(B)));
    }

    @Test
    void refusesMoreThan100Parts() {
        byte[][] pieces = new byte[MultipartParser.MAX_PARTS + 2][];
        for (int i = 0; i <= MultipartParser.MAX_PARTS; i++) {
            pieces[i] = Forms.part(B, text("v"));
        }
        pieces[MultipartParser.MAX_PARTS + 1] = Forms.close(B);
        assertRefused("malformed multipart body: more than " + MultipartParser.MAX_PARTS + " parts", concat(pieces));
    }

    @Test
    void refusesAFormWithNoParts() {
        assertRefused("malformed multipart body: it has no parts", text("--" + B + "--\r\n"));
    }

    /**
     * Fuzz: thousands of seeded random mutations and truncations of valid bodies, through the
     * whole multipart path of POST /predict (Content-Type, boundary, parts, the "file" part and
     * its type). Each must give the JPEG or an HttpError 4xx; any other exception fails, and
     * the message names the iteration so the case can be replayed.
     */
    @Test
    void randomMutationsAndTruncationsOfValidBodiesGiveOnly4xxErrors() {
        Random random = new Random(20240611L);
        List<byte[]> seeds = List.of(
                Forms.fileForm(B, JPEG),
                concat(text("preamble\r\n"), Forms.part(B, text("x"), "Content-Disposition: form-data; name=\"before\""),
                        Forms.part(B, JPEG, "Content-Disposition: form-data; name=\"file\"; filename=\"a;b.jpg\"",
                                "Content-Type: image/jpg"),
                        Forms.part(B, text("y"), "Content-Disposition: form-data; name=\"after\""),
                        Forms.close(B), text("epilogue")));
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] body = mutate(seeds.get(random.nextInt(seeds.size())), random);
            String contentType = random.nextInt(8) == 0 ? mutateHeader(random) : Forms.contentType(B);
            try {
                PredictHandler.jpegFrom(contentType, body);
                accepted++;
            } catch (HttpError e) {
                assertTrue(e.status() >= 400 && e.status() < 500, "iteration " + i + ": status " + e.status());
                refused++;
            } catch (RuntimeException e) {
                fail("iteration " + i + " (seed 20240611) threw " + e, e);
            }
        }
        assertTrue(accepted > 100 && refused > 100, "accepted " + accepted + ", refused " + refused);
    }

    /** The byte search skips ahead; it must still find exactly what a byte-by-byte scan finds. */
    @Test
    void theDelimiterSearchFindsTheSameIndexAsAPlainScanOnDataFullOfNearMatches() {
        Random random = new Random(7);
        byte[] pattern = text("\r\n--" + B);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[random.nextInt(300)];
            for (int i = 0; i < data.length; i++) { // bytes of the pattern, so partial matches abound
                data[i] = pattern[random.nextInt(Math.min(pattern.length, 6))];
            }
            if (random.nextBoolean() && data.length >= pattern.length) {
                System.arraycopy(pattern, 0, data, random.nextInt(data.length - pattern.length + 1), pattern.length);
            }
            int from = data.length == 0 ? 0 : random.nextInt(data.length);
            int to = from + random.nextInt(data.length - from + 1);
            assertEquals(plainIndexOf(data, pattern, from, to), ByteSearch.indexOf(data, pattern, from, to),
                    "round " + round);
        }
    }

    private static int plainIndexOf(byte[] data, byte[] pattern, int from, int to) {
        for (int i = from; i + pattern.length <= to; i++) {
            if (Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] body = seed.clone();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && body.length > 0; m++) {
            int at = random.nextInt(body.length);
            body = switch (random.nextInt(7)) {
                case 0 -> Arrays.copyOf(body, at); // truncate
                case 1 -> { // flip one byte
                    body[at] = (byte) random.nextInt(256);
                    yield body;
                }
                case 2 -> splice(body, at, 0, pick(random)); // insert framing bytes
                case 3 -> splice(body, at, Math.min(body.length - at, 1 + random.nextInt(40)), new byte[0]); // delete
                case 4 -> splice(body, at, 0, Arrays.copyOfRange(body, at, Math.min(body.length, at + 1 + random.nextInt(80))));
                case 5 -> replaceFirstCrlfAfter(body, at);
                default -> body; // some seeds pass through unchanged
            };
        }
        return body;
    }

    private static byte[] pick(Random random) {
        String[] fragments = {"\r\n", "\r", "\n", "--", "--" + B, "\r\n--" + B, "\r\n--" + B + "--", "\"", ";", ":",
                "\r\n\r\n", "Content-Type: text/plain\r\n", " \t"};
        return text(fragments[random.nextInt(fragments.length)]);
    }

    private static String mutateHeader(Random random) {
        String[] headers = {"multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"" + B,
                "multipart/form-data; boundary=" + B + "x", "multipart/form-data; boundary=" + "z".repeat(90),
                "MULTIPART/FORM-DATA; BOUNDARY=\"" + B + "\"", "text/plain", "", null, "multipart/form-data; boundary=é"};
        return headers[random.nextInt(headers.length)];
    }

    private static byte[] splice(byte[] body, int at, int removed, byte[] inserted) {
        return concat(Arrays.copyOfRange(body, 0, at), inserted, Arrays.copyOfRange(body, at + removed, body.length));
    }

    private static byte[] replaceFirstCrlfAfter(byte[] body, int from) {
        int crlf = ByteSearch.indexOf(body, new byte[] {'\r', '\n'}, from, body.length);
        return crlf < 0 ? body : splice(body, crlf, 2, new byte[] {'\n'});
    }

    private static byte[] bytes(MultipartParser.Part part) {
        byte[] copy = new byte[part.content().remaining()];
        part.content().duplicate().get(copy);
        return copy;
    }
}

package inferbench.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {
    @Test
    void readsTheRestServersPredictReply() {
        Map<String, Object> reply = JsonReader.parseObject("{\"label\":\"face\",\"boxes\":[[244.8,91.2,141.6,141.6]],"
                + "\"scores\":[0.9],\"detection_count\":1,\"latency_ms\":31.204,\"filename\":\"\","
                + "\"status\":\"OK\",\"space\":\"720x720\"}");
        assertEquals(List.of("label", "boxes", "scores", "detection_count", "latency_ms", "filename", "status",
                "space"), new ArrayList<>(reply.keySet()));
        assertEquals(List.of(List.of(244.8, 91.2, 141.6, 141.6)), reply.get("boxes"));
        assertEquals(List.of(0.9), reply.get("scores"));
        assertEquals(1.0, reply.get("detection_count"));
        assertEquals("OK", reply.get("status"));
    }

    @Test
    void readsAnErrorReplyWithEscapedQuotesAndAccents() {
        Map<String, Object> reply = JsonReader.parseObject("{\"detail\": \"caf\\u00e9 \\\"file\\\" \\/ \\t\"}");
        assertEquals("café \"file\" / \t", reply.get("detail"));
    }

    @Test
    void joinsASurrogatePairIntoOneCharacter() {
        assertEquals("😀", JsonReader.parse("\"\\ud83d\\ude00\""));
        assertEquals("é", JsonReader.parse("\"é\""));
    }

    @Test
    void readsNumbersWithSignsFractionsAndExponents() {
        assertEquals(List.of(1e-3, -0.5, 0.0, -0.0, 12.0, 2.5e10, 1.0E2), JsonReader.parse("[1e-3,-0.5,0,-0,12,2.5E+10,1.0e2]"));
    }

    @Test
    void readsLiteralsAndEmptyContainersWithWhitespace() {
        assertEquals(Arrays.asList(true, false, null, Map.of(), List.of()),
                JsonReader.parse(" \t\r\n[ true , false,null, { } ,[ ] ]\n"));
        assertNull(JsonReader.parse("null"));
    }

    @Test
    void saysWhereAMissingColonWasExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonReader.parse("{\"status\" \"OK\"}"));
        assertEquals("malformed JSON at position 10: expected ':' after the member name, found '\"'", e.getMessage());
    }

    @Test
    void refusesTruncatedInputWithItsPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonReader.parse("{\"boxes\":[[1.0,2.0"));
        assertEquals("malformed JSON at position 18: unexpected end of input, expected ']' or ',' after an array element",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(""));
    }

    @Test
    void refusesNumbersJsonDoesNotAllow() {
        for (String bad : List.of("01", "1.", ".5", "+1", "1e", "-", "NaN", "Infinity", "0x10")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("malformed JSON at position "), e.getMessage());
        }
    }

    @Test
    void refusesBadEscapesAndRawControlCharacters() {
        assertEquals("malformed JSON at position 3: invalid escape '\\x'",
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"a\\x\"")).getMessage());
        assertEquals("malformed JSON at position 4: \\u must be followed by four hex digits",
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"a\\u00g1\"")).getMessage());
        assertEquals("malformed JSON at position 2: control character U+000A must be escaped in a string",
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"a\nb\"")).getMessage());
    }

    @Test
    void refusesTrailingContentAndTrailingCommas() {
        assertEquals("malformed JSON at position 3: unexpected '}' after the end of the JSON value",
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{} }")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\":1,}"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("tru"));
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(deep));
        assertEquals("malformed JSON at position 64: nested deeper than 64 levels", e.getMessage());
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertEquals(1, ((List<?>) JsonReader.parse(ok)).size());
    }

    @Test
    void refusesAReplyThatIsNotAnObject() {
        assertEquals("expected a JSON object, got an array",
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parseObject("[1]")).getMessage());
    }
}

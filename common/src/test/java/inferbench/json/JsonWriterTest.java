package inferbench.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import inferbench.pipeline.Box;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void separatesMembersAndNestedArraysWithCommas() {
        String json = new JsonWriter().beginObject()
                .name("label").value("face")
                .name("boxes").boxArray(List.of(new Box(1, 2, 3, 4), new Box(5.5f, 6, 7, 8)))
                .name("count").value(2)
                .name("empty").beginArray().endArray()
                .name("ok").value(true)
                .endObject().toString();
        assertEquals("{\"label\":\"face\",\"boxes\":[[1.0,2.0,3.0,4.0],[5.5,6.0,7.0,8.0]],\"count\":2,"
                + "\"empty\":[],\"ok\":true}", json);
    }

    @Test
    void writesFloatsAsTheirShortestDecimal() {
        assertEquals("[244.8,0.9,141.6]", JsonWriter.floats(List.of(244.8f, 0.9f, 141.6f)));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String json = new JsonWriter().value("a\"b\\c\nd\te\u0001é").toString();
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u0001é\"", json);
    }

    @Test
    void refusesNanAndInfinity() {
        assertThrows(IllegalArgumentException.class, () -> new JsonWriter().value(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new JsonWriter().value(Float.POSITIVE_INFINITY));
    }

    /** What this writes, JsonReader (samples module) reads back. */
    @Test
    void readsWhatJsonWriterWrites() {
        String json = new JsonWriter().beginObject().name("boxes").boxArray(List.of(new Box(244.8f, 91.2f, 141.6f, 141.6f)))
                .name("ok").value(true).name("text").value("a\"b\\c\n\u0001").endObject().toString();
        Map<String, Object> back = JsonReader.parseObject(json);
        List<?> box = (List<?>) ((List<?>) back.get("boxes")).get(0);
        assertEquals(244.8f, ((Double) box.get(0)).floatValue());
        assertEquals(Boolean.TRUE, back.get("ok"));
        assertEquals("a\"b\\c\n\u0001", back.get("text"));
    }
}

package inferbench.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HeaderValueTest {
    @Test
    void readsTheValueAndATokenParameter() {
        HeaderValue value = HeaderValue.parse("multipart/form-data; boundary=abc123");
        assertEquals("multipart/form-data", value.value());
        assertEquals("abc123", value.param("boundary"));
    }

    @Test
    void keepsASemicolonInsideAQuotedValue() {
        HeaderValue value = HeaderValue.parse("form-data; name=\"file\"; filename=\"a;b.jpg\"");
        assertEquals("form-data", value.value());
        assertEquals("file", value.param("name"));
        assertEquals("a;b.jpg", value.param("filename"));
    }

    @Test
    void unescapesAQuotedPair() {
        assertEquals("say \"hi\".jpg", HeaderValue.parse("form-data; filename=\"say \\\"hi\\\".jpg\"").param("filename"));
    }

    @Test
    void matchesParameterNamesWithoutRegardToCase() {
        HeaderValue value = HeaderValue.parse("Multipart/Form-Data; BOUNDARY=\"x y\"");
        assertEquals("x y", value.param("boundary"));
        assertEquals("multipart/form-data", value.lowerCaseValue());
    }

    @Test
    void toleratesSpacesBareNamesAndAnUnterminatedQuote() {
        HeaderValue value = HeaderValue.parse("  form-data ;; bare ; name = file ; filename=\"open");
        assertEquals("form-data", value.value());
        assertEquals("file", value.param("name"));
        assertEquals("open", value.param("filename"));
        assertNull(value.param("bare"));
    }

    @Test
    void readsAnAbsentHeaderAsEmpty() {
        HeaderValue value = HeaderValue.parse(null);
        assertEquals("", value.value());
        assertNull(value.param("boundary"));
    }
}

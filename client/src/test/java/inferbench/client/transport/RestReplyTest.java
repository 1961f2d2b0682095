package inferbench.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.pipeline.Box;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the REST transport reads the server's answers; the real server's replies are in the end-to-end tests. */
class RestReplyTest {
    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsADetectionReply() throws IOException {
        byte[] body = utf8("{\"label\":\"face\",\"boxes\":[[244.8,91.2,141.6,141.6]],\"scores\":[0.9],"
                + "\"detection_count\":1,\"latency_ms\":31.5,\"filename\":\"20260101_120000_000.jpg\","
                + "\"status\":\"OK\",\"space\":\"720x720\"}");
        Reply reply = RestReply.of(200, body, 1234);
        assertTrue(reply.ok());
        assertEquals("OK", reply.status());
        assertEquals(List.of(new Box(244.8f, 91.2f, 141.6f, 141.6f)), reply.boxes());
        assertEquals(List.of(0.9f), reply.scores());
        assertEquals(1, reply.detectionCount());
        assertEquals(31.5, reply.serverLatencyMs());
        assertEquals("20260101_120000_000.jpg", reply.filename());
        assertEquals(1234, reply.requestBytes());
        assertEquals(body.length, reply.responseBytes());
    }

    @Test
    void turnsAnErrorStatusIntoARefusalWithTheServersDetail() throws IOException {
        Reply reply = RestReply.of(415, utf8("{\"detail\":\"Only image/jpeg supported\"}"), 10);
        assertFalse(reply.ok());
        assertEquals("ERROR", reply.status());
        assertEquals("HTTP 415: Only image/jpeg supported", reply.error());
    }

    @Test
    void showsTheStartOfAnErrorBodyThatIsNotJson() throws IOException {
        Reply reply = RestReply.of(502, utf8("<html>\n<body>Bad Gateway</body></html>"), 10);
        assertEquals("HTTP 502: <html> <body>Bad Gateway</body></html>", reply.error());
    }

    @Test
    void refusesAnOkReplyThatIsNotADetection() {
        IOException e = assertThrows(IOException.class,
                () -> RestReply.of(200, utf8("{\"status\":\"OK\",\"boxes\":[[1,2,3]]}"), 10));
        assertTrue(e.getMessage().startsWith("the REST reply is not a /predict answer"), e.getMessage());
        assertThrows(IOException.class, () -> RestReply.of(200, utf8("{\"status\": OK}"), 10));
    }
}

package inferbench.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The names and numbers the original Python system's clients depend on never change. */
class WireContractTest {
    private static Map<String, Integer> fields(Descriptor message) {
        Map<String, Integer> numbers = new TreeMap<>();
        message.getFields().forEach(f -> numbers.put(f.getName() + ":" + f.getType(), f.getNumber()));
        return numbers;
    }

    @Test
    void predictKeepsItsFullMethodNameOnTheWire() {
        assertEquals("img.Inference/Predict", InferenceGrpc.getPredictMethod().getFullMethodName());
        assertEquals("img.Inference/PredictStream", InferenceGrpc.getPredictStreamMethod().getFullMethodName());
    }

    @Test
    void imageKeepsTheOriginalFieldNumbers() {
        assertEquals(Map.of("data:BYTES", 1, "mime:STRING", 2, "save:BOOL", 3), fields(Image.getDescriptor()));
    }

    @Test
    void boxKeepsTheOriginalFieldNumbers() {
        assertEquals(Map.of("x:FLOAT", 1, "y:FLOAT", 2, "w:FLOAT", 3, "h:FLOAT", 4), fields(Box.getDescriptor()));
    }

    @Test
    void detectionKeepsTheOriginalFieldsAndOnlyAddsNewNumbers() {
        Map<String, Integer> expected = new TreeMap<>(Map.of("label:STRING", 1, "boxes:MESSAGE", 2,
                "scores:FLOAT", 3, "detection_count:INT32", 4, "latency_ms:FLOAT", 5, "filename:STRING", 6,
                "status:STRING", 7));
        expected.put("error:STRING", 8);
        expected.put("save_error:STRING", 9);
        assertEquals(expected, fields(Detection.getDescriptor()));
        assertEquals("img", Detection.getDescriptor().getFile().getPackage());
    }
}

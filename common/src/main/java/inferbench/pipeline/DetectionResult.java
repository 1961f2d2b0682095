package inferbench.pipeline;

import java.util.Collections;
import java.util.List;

/**
 * What the pipeline answers for one image; each server maps it to its wire format
 * (JSON for REST, the {@code Detection} message for gRPC) and nothing else.
 *
 * @param boxes     faces in 720x720 space
 * @param latencyMs server processing time: validation, decode, detection and saving (records.csv
 *                  holds the time up to the save)
 * @param filename  the saved image's file name, or "" when not saved
 * @param saveError why saving failed, or "" when it did not fail (the detection is still valid)
 */
public record DetectionResult(List<Box> boxes, double latencyMs, String filename, String saveError) {

    public static final String LABEL = "face";
    /** The Haar cascade gives no confidence; the original system reports 0.9 for every box. */
    public static final float HAAR_SCORE = 0.9f;

    public DetectionResult {
        boxes = List.copyOf(boxes);
    }

    public String label() {
        return LABEL;
    }

    public List<Float> scores() {
        return Collections.nCopies(boxes.size(), HAAR_SCORE);
    }

    public int detectionCount() {
        return boxes.size();
    }

    public String status() {
        return boxes.isEmpty() ? "NO_DETECTION" : "OK";
    }
}

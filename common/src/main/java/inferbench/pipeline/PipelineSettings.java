package inferbench.pipeline;

import java.nio.file.Path;

/**
 * How the detection pipeline is built: the cascade it runs, the largest frame it accepts, how it
 * decodes, and how many threads OpenCV may use for one detection.
 *
 * @param cascade       a Haar cascade XML file, or null for the bundled frontal-face cascade
 * @param maxPixels     the largest frame accepted, width x height
 * @param openCvThreads OpenCV's own threads per detection; 0 leaves OpenCV's default (one per core)
 */
public record PipelineSettings(Path cascade, long maxPixels, DecodeMode decode, int openCvThreads) {
    /**
     * 4096 x 4096, about 16.8 megapixels: room for 4K UHD video frames (8.3 MP), 12 MP phone
     * cameras and 16 MP cameras, while the costliest frame a client can send takes a third of
     * the decoding time and memory a 50 MP limit allowed.
     */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096;

    /** The defaults: the bundled cascade, the default size limit, the original's decoding, OpenCV's threads. */
    public static PipelineSettings defaults() {
        return new PipelineSettings(null, DEFAULT_MAX_PIXELS, DecodeMode.EXACT, 0);
    }
}

package inferbench.pipeline;

/** One detected face in the 720x720 centre-crop space, in pixels. */
public record Box(float x, float y, float w, float h) {
}

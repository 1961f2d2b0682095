package inferbench.pipeline;

/**
 * Loads OpenCV's native library exactly once per JVM.
 *
 * <p>The JVM runs a class initializer once and publishes it safely to all threads, so the
 * holder class below does the "load once" without any mutable static field.
 */
public final class OpenCv {
    private OpenCv() {
    }

    /** Loads the natives if not yet loaded; fails with a message that says what to check. */
    public static void load() {
        try {
            Holder.touch();
        } catch (LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("could not load the OpenCV native library (org.openpnp:opencv,"
                    + " needs glibc Linux, macOS or Windows on x86-64/arm64): " + cause, cause);
        }
    }

    private static final class Holder {
        static {
            nu.pattern.OpenCV.loadLocally();
        }

        static void touch() {
        }
    }
}

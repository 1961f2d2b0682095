package inferbench.storage;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * What became of a best-effort save ({@link ResultStore#trySave}): the saved image's file name,
 * or none and why, in words the client reads.
 */
public record SaveOutcome(String filename, String error) {

    /** Why the save failed, without the server's paths: "No space left on device", not where. */
    static SaveOutcome failed(Exception e) {
        String reason;
        if (e instanceof FileSystemException fs) {
            reason = fs.getReason() != null ? fs.getReason() : "the file system refused it";
        } else {
            reason = e instanceof IOException && e.getMessage() != null ? e.getMessage() : "see the server's log";
        }
        return new SaveOutcome("", "could not save the image: " + reason);
    }
}

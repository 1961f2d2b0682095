package inferbench.storage;

import java.io.IOException;

/** Saving stopped at the storage cap: the detection is still answered, without a saved file. */
public final class StorageFullException extends IOException {
    StorageFullException(long used, long max) {
        super(String.format("storage is full: the saved files take %,d of the %,d bytes allowed"
                + " (--max-storage / STORAGE_MAX_BYTES); delete saved files or raise the limit", used, max));
    }
}

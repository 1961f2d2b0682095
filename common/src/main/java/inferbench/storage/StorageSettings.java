package inferbench.storage;

import java.nio.file.Path;
import java.time.ZoneId;

/**
 * Where saved results go and how much room they may take.
 *
 * @param directory the folder for the saved JPEGs and records.csv
 * @param maxBytes  the most the saved files may take together; saving stops there
 * @param timeZone  the zone of the file names and of records.csv's times
 */
public record StorageSettings(Path directory, long maxBytes, ZoneId timeZone) {
    /**
     * 1 GiB: about ten thousand saved 720x720 crops. An unauthenticated client that asks to save
     * every frame fills this, not the disk.
     */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
}

package inferbench.storage;

import inferbench.pipeline.DetectionResult;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Saved results: each 720x720 crop as a JPEG, and its {@code records.csv} row: both or neither.
 *
 * <p>Many request threads save at once, so: an image is written to a hidden temp file and
 * renamed into place (a reader never sees half a JPEG); names are reserved under a lock (two
 * saves in the same millisecond get {@code -1}, {@code -2} suffixes); rows are appended under
 * the same lock. If the row cannot be written (a full disk), the image is removed again, so
 * every row names a file and every file has its row. Saving stops at a cap on the bytes the
 * saved files take, so a client that asks to save every frame fills the cap, not the disk.
 */
public final class ResultStore implements Closeable {
    public static final String CSV_NAME = "records.csv";
    /** The original system's columns. */
    public static final String CSV_HEADER =
            "time,filename,model_version,label,detection_count,boxes_json,scores_json,server_latency_ms,protocol,status";
    public static final String MODEL_VERSION = "haar_v1";

    private static final Logger LOG = Logger.getLogger(ResultStore.class.getName());
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS");
    /** Files deleted by hand free room only once the store counts again; at most this often. */
    private static final long RECOUNT_MILLIS = 1000;

    private final Path directory;
    private final Clock clock;
    private final long maxBytes;
    private final RecordsCsv csv;
    private final FileLock lock; // see holdLock
    private final Set<String> reserved = new HashSet<>(); // names claimed but not yet renamed into place
    private long usedBytes;      // guarded by this
    private long lastCountMillis; // guarded by this
    private boolean full;         // guarded by this: the last save was refused at the cap

    public ResultStore(StorageSettings settings) {
        this(settings.directory(), Clock.system(settings.timeZone()), settings.maxBytes());
    }

    public ResultStore(Path directory, Clock clock) {
        this(directory, clock, StorageSettings.DEFAULT_MAX_BYTES);
    }

    /**
     * Creates the directory if needed and checks that it can be written, so that a server that
     * cannot save says so when it starts, not on every request.
     *
     * @param clock gives the time and the time zone used for file names and the CSV, and paces
     *              the recounts of the saved files once the cap is reached
     * @throws UncheckedIOException if the directory cannot be created or written
     */
    public ResultStore(Path directory, Clock clock, long maxBytes) {
        this.directory = directory.toAbsolutePath();
        this.clock = clock;
        this.maxBytes = maxBytes;
        this.csv = new RecordsCsv(this.directory);
        try {
            Files.createDirectories(this.directory);
            Path probe = Files.createTempFile(this.directory, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UncheckedIOException("the storage directory " + this.directory + " is not writable by user "
                    + System.getProperty("user.name") + " (" + e + "): make it writable, or set --storage /"
                    + " STORAGE_DIR to a directory that is", e);
        }
        try {
            lock = holdLock(this.directory);
            csv.repair();
            usedBytes = countBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the storage directory " + this.directory + ": " + e, e);
        }
    }

    /**
     * File names and records.csv rows are coordinated inside one process only, so two servers
     * saving into one directory could overwrite each other's files: the second is refused.
     * The lock lasts until {@link #close} (the operating system drops it if the process ends first).
     */
    private static FileLock holdLock(Path directory) throws IOException {
        FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new UncheckedIOException(new IOException("the storage directory " + directory + " is in use by"
                    + " another server: give each server a directory of its own (--storage / STORAGE_DIR)"));
        }
        return lock;
    }

    /** Lets another server use the directory; the main flow calls it once the server has stopped. */
    @Override
    public void close() throws IOException {
        lock.channel().close(); // releases the lock
    }

    public Path directory() {
        return directory;
    }

    /**
     * Stores the crop under a new timestamp name and appends its row; returns the name.
     *
     * @param detection what the row records; its file name is ignored (the row gets the new name)
     * @throws StorageFullException at the cap, with nothing written
     * @throws IOException when writing failed, with nothing left behind
     */
    public String save(Mat crop, DetectionResult detection, String protocol) throws IOException {
        byte[] jpeg = encodeJpeg(crop);
        String name = reserveName();
        Path image = directory.resolve(name);
        try {
            synchronized (this) {
                byte[] row = csv.row(OffsetDateTime.now(clock), name, detection, protocol);
                long bytes = jpeg.length + row.length;
                makeRoom(bytes);
                writeImage(image, jpeg);
                try {
                    csv.append(row);
                } catch (IOException e) {
                    Files.deleteIfExists(image);
                    throw e;
                }
                usedBytes += bytes;
            }
            return name;
        } finally {
            synchronized (this) {
                reserved.remove(name);
            }
        }
    }

    /**
     * {@link #save}, best effort: a full disk or the storage cap must not turn a good detection
     * into an error, so a failure is logged and returned with its reason (and no file name:
     * nothing was kept), and the server keeps serving.
     */
    public SaveOutcome trySave(Mat crop, DetectionResult detection, String protocol) {
        try {
            return new SaveOutcome(save(crop, detection, protocol), "");
        } catch (StorageFullException e) { // logged when the store becomes full, not at every refusal
            return SaveOutcome.failed(e);
        } catch (IOException e) { // a full disk: one line each, the reason is all there is to say
            LOG.warning("saving a " + protocol + " result to " + directory + " failed: " + e);
            return SaveOutcome.failed(e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "saving a " + protocol + " result to " + directory + " failed", e);
            return SaveOutcome.failed(e);
        }
    }

    private void makeRoom(long bytes) throws IOException {
        if (usedBytes + bytes <= maxBytes) {
            if (full) {
                LOG.info("saving goes on: the saved files take " + usedBytes + " of " + maxBytes + " bytes");
                full = false;
            }
            return;
        }
        long now = clock.millis();
        if (now - lastCountMillis >= RECOUNT_MILLIS) { // someone may have deleted saved files
            lastCountMillis = now;
            usedBytes = countBytes();
        }
        if (usedBytes + bytes > maxBytes) {
            if (!full) {
                LOG.warning("saving stops: " + new StorageFullException(usedBytes, maxBytes).getMessage());
            }
            full = true;
            throw new StorageFullException(usedBytes, maxBytes);
        }
    }

    /** Written beside its final name and renamed into place, so a reader never sees half a JPEG. */
    private void writeImage(Path image, byte[] jpeg) throws IOException {
        Path temp = directory.resolve("." + image.getFileName() + ".tmp");
        try {
            Files.write(temp, jpeg);
            Files.move(temp, image, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private synchronized String reserveName() {
        String stem = OffsetDateTime.now(clock).format(FILE_TIME);
        String name = stem + ".jpg";
        for (int n = 1; reserved.contains(name) || Files.exists(directory.resolve(name)); n++) {
            name = stem + "-" + n + ".jpg";
        }
        reserved.add(name);
        return name;
    }

    /** What the files in the directory take, leftovers of a killed process (hidden .tmp files) removed. */
    private long countBytes() throws IOException {
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) { // images are written under the lock
                    Files.deleteIfExists(file);
                } else if (Files.isRegularFile(file)) {
                    total += Files.size(file);
                }
            }
        }
        return total;
    }

    private static byte[] encodeJpeg(Mat image) throws IOException {
        MatOfByte buffer = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(".jpg", image, buffer)) {
                throw new IOException("OpenCV could not encode the image as JPEG");
            }
            return buffer.toArray();
        } finally {
            buffer.release();
        }
    }
}

package inferbench.storage;

import inferbench.json.JsonWriter;
import inferbench.pipeline.DetectionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Saved results: each 720x720 crop as a JPEG, and one {@code records.csv} row per save.
 *
 * <p>Many request threads save at once, so: an image is written to a hidden temp file and
 * renamed into place (a reader never sees half a JPEG); names are reserved under a lock
 * (two saves in the same millisecond get {@code -1}, {@code -2} suffixes); and CSV rows are
 * appended under the same lock with the file opened per row, so the header is written once,
 * rows never interleave, and nothing sits in a buffer when the process stops.
 */
public final class ResultStore {
    public static final String CSV_NAME = "records.csv";
    public static final String CSV_HEADER =
            "time,filename,model_version,label,detection_count,boxes_json,scores_json,server_latency_ms,protocol,status";
    public static final String MODEL_VERSION = "haar_v1";

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss_SSS");

    private final Path directory;
    private final Clock clock;
    private final Set<String> reserved = new HashSet<>(); // names claimed but not yet renamed into place

    /**
     * @param clock gives the time and the time zone used for file names and the CSV
     * @throws UncheckedIOException if the directory cannot be created (fail fast at startup)
     */
    public ResultStore(StorageSettings settings) {
        this(settings.directory(), Clock.system(settings.timeZone()));
    }

    public ResultStore(Path directory, Clock clock) {
        this.directory = directory.toAbsolutePath();
        this.clock = clock;
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the storage directory " + this.directory
                    + " (set --storage or STORAGE_DIR to a writable directory)", e);
        }
    }

    public Path directory() {
        return directory;
    }

    public Path csvFile() {
        return directory.resolve(CSV_NAME);
    }

    /** Encodes the image as JPEG and stores it under a new timestamp name; returns that name. */
    public String saveImage(Mat image) throws IOException {
        byte[] jpeg = encodeJpeg(image);
        String name = reserveName();
        Path temp = directory.resolve("." + name + ".tmp");
        try {
            Files.write(temp, jpeg);
            Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
            synchronized (this) {
                reserved.remove(name);
            }
        }
        return name;
    }

    /** Appends one CSV row for a saved result, writing the header first if the file is new. */
    public void appendRecord(DetectionResult result, String protocol) throws IOException {
        String row = String.join(",",
                OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                csvField(result.filename()),
                MODEL_VERSION,
                result.label(),
                Integer.toString(result.detectionCount()),
                quoted(JsonWriter.boxes(result.boxes())),
                quoted(JsonWriter.floats(result.scores())),
                String.format(Locale.ROOT, "%.3f", result.latencyMs()),
                csvField(protocol),
                result.status()) + "\n";
        Path csv = csvFile();
        synchronized (this) {
            boolean isNew = !Files.exists(csv) || Files.size(csv) == 0;
            Files.writeString(csv, isNew ? CSV_HEADER + "\n" + row : row, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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

    /** RFC 4180: quote a field that holds a comma, quote or line break; double inner quotes. */
    static String csvField(String value) {
        boolean plain = value.indexOf(',') < 0 && value.indexOf('"') < 0
                && value.indexOf('\n') < 0 && value.indexOf('\r') < 0;
        return plain ? value : quoted(value);
    }

    /** The JSON columns are always quoted, so every row reads the same whatever its box count. */
    private static String quoted(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}

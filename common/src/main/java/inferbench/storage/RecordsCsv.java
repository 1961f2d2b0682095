package inferbench.storage;

import inferbench.json.JsonWriter;
import inferbench.pipeline.DetectionResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * {@code records.csv}: one row per saved result, in the original system's columns, and never a
 * half row. A row is appended with one write; if that write fails (a full disk), the file is cut
 * back to where it ended, so the next row does not glue onto half of this one. A half row left by
 * a process that was killed mid-write is cut off when the store opens. The caller serialises
 * appends (rows never interleave).
 */
final class RecordsCsv {
    /** Far more than a row takes (a few hundred bytes): how far back {@link #repair} looks for a line end. */
    private static final int MAX_ROW_BYTES = 64 * 1024;

    private final Path file;

    RecordsCsv(Path directory) {
        this.file = directory.resolve(ResultStore.CSV_NAME);
    }

    /** The bytes one row takes: its text and its line end (the header too when the file is new). */
    byte[] row(OffsetDateTime time, String filename, DetectionResult result, String protocol) throws IOException {
        String row = String.join(",",
                time.truncatedTo(ChronoUnit.MILLIS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                field(filename),
                ResultStore.MODEL_VERSION,
                result.label(),
                Integer.toString(result.detectionCount()),
                quoted(JsonWriter.boxes(result.boxes())),
                quoted(JsonWriter.floats(result.scores())),
                String.format(Locale.ROOT, "%.3f", result.latencyMs()),
                field(protocol),
                result.status()) + "\n";
        boolean isNew = !Files.exists(file) || Files.size(file) == 0;
        return (isNew ? ResultStore.CSV_HEADER + "\n" + row : row).getBytes(StandardCharsets.UTF_8);
    }

    /** Appends the row whole, or leaves the file as it was and throws. */
    void append(byte[] row) throws IOException {
        try (FileChannel csv = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            long end = csv.size();
            try {
                ByteBuffer bytes = ByteBuffer.wrap(row);
                while (bytes.hasRemaining()) {
                    csv.write(bytes);
                }
            } catch (IOException e) {
                try {
                    csv.truncate(end);
                } catch (IOException alsoFailed) {
                    e.addSuppressed(alsoFailed);
                }
                throw e;
            }
        }
    }

    /** Cuts off a last line without its line end: what a process killed in mid-write leaves. */
    void repair() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel csv = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = csv.size();
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size, MAX_ROW_BYTES));
            long tailStart = size - tail.capacity();
            while (tail.hasRemaining() && csv.read(tail, tailStart + tail.position()) > 0) {
                // a regular file gives what it has; the loop only guards against short reads
            }
            int end = tail.position();
            while (end > 0 && tail.get(end - 1) != '\n') {
                end--;
            }
            if (end < tail.position() && (end > 0 || tailStart == 0)) {
                csv.truncate(tailStart + end);
            }
        }
    }

    /** RFC 4180: quote a field that holds a comma, quote or line break; double inner quotes. */
    static String field(String value) {
        boolean plain = value.indexOf(',') < 0 && value.indexOf('"') < 0
                && value.indexOf('\n') < 0 && value.indexOf('\r') < 0;
        return plain ? value : quoted(value);
    }

    /** The JSON columns are always quoted, so every row reads the same whatever its box count. */
    private static String quoted(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}

package inferbench.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.pipeline.Box;
import inferbench.pipeline.DetectionResult;
import inferbench.pipeline.OpenCv;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

class ResultStoreTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-03-01T12:34:56.789Z"), ZoneId.of("Europe/Paris"));

    static {
        OpenCv.load();
    }

    private static Mat crop() {
        return new Mat(720, 720, CvType.CV_8UC3, new Scalar(10, 200, 30));
    }

    private static DetectionResult result() {
        return new DetectionResult(List.of(new Box(244.8f, 91.2f, 141.6f, 141.6f)), 12.5, "", "");
    }

    @Test
    void namesFilesByTimeInTheConfiguredZoneAndSuffixesCollisions(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, FIXED);
        Mat image = crop();
        assertEquals("20260301_133456_789.jpg", store.save(image, result(), "REST"));
        assertEquals("20260301_133456_789-1.jpg", store.save(image, result(), "REST"));
        assertEquals("20260301_133456_789-2.jpg", store.save(image, result(), "REST"));
        image.release();
    }

    @Test
    void writesTheHeaderOnceAndOneQuotedRowPerSave(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, FIXED);
        Mat image = crop();
        store.save(image, result(), "REST");
        store.save(image, new DetectionResult(List.of(), 3.25, "", ""), "gRPC");
        image.release();
        assertEquals(List.of(ResultStore.CSV_HEADER,
                "2026-03-01T13:34:56.789+01:00,20260301_133456_789.jpg,haar_v1,face,1,\"[[244.8,91.2,141.6,141.6]]\","
                        + "\"[0.9]\",12.500,REST,OK",
                "2026-03-01T13:34:56.789+01:00,20260301_133456_789-1.jpg,haar_v1,face,0,\"[]\",\"[]\",3.250,gRPC,"
                        + "NO_DETECTION"),
                Files.readAllLines(store.directory().resolve(ResultStore.CSV_NAME)));
    }

    @Test
    void leavesNoTempFilesBehind(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, Clock.systemUTC());
        Mat image = crop();
        store.save(image, result(), "REST");
        image.release();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void concurrentSavesAtTheSameMillisecondGiveDistinctDecodableImagesAndAWellFormedCsv(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, FIXED); // every save in the same millisecond: every name collides
        int count = 64;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> saves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            saves.add(pool.submit(() -> {
                start.await();
                Mat image = crop();
                try {
                    return store.save(image, result(), "REST");
                } finally {
                    image.release();
                }
            }));
        }
        start.countDown();
        Set<String> names = new HashSet<>();
        for (Future<String> save : saves) {
            names.add(save.get());
        }
        pool.shutdown();

        assertEquals(count, names.size());
        for (String name : names) {
            Mat saved = Imgcodecs.imread(dir.resolve(name).toString());
            assertEquals(720, saved.cols(), name);
            assertEquals(720, saved.rows(), name);
            saved.release();
        }
        List<String> lines = Files.readAllLines(store.directory().resolve(ResultStore.CSV_NAME));
        assertEquals(ResultStore.CSV_HEADER, lines.get(0));
        assertEquals(count, lines.size() - 1);
        Set<String> csvNames = new HashSet<>();
        for (String row : lines.subList(1, lines.size())) {
            List<String> fields = parseCsvRow(row);
            assertEquals(10, fields.size(), row);
            assertEquals("[[244.8,91.2,141.6,141.6]]", fields.get(5));
            csvNames.add(fields.get(1));
        }
        assertEquals(names, csvNames);
    }

    @Test
    void stopsSavingAtTheCapWithNothingWrittenAndGoesOnOnceFilesAreDeleted(@TempDir Path dir) throws Exception {
        Mat image = crop();
        long oneSave;
        ResultStore measure = new ResultStore(dir.resolve("measure"), FIXED);
        measure.save(image, result(), "REST");
        try (Stream<Path> files = Files.list(measure.directory())) {
            oneSave = files.mapToLong(p -> p.toFile().length()).sum(); // the lock file is empty
        }
        MovableClock clock = new MovableClock(FIXED.instant(), FIXED.getZone());
        ResultStore store = new ResultStore(dir.resolve("capped"), clock, oneSave + oneSave / 2);
        String first = store.save(image, result(), "REST");

        StorageFullException full = assertThrows(StorageFullException.class, () -> store.save(image, result(), "REST"));
        assertTrue(full.getMessage().startsWith("storage is full: the saved files take "), full.getMessage());
        assertTrue(full.getMessage().contains("--max-storage / STORAGE_MAX_BYTES"), full.getMessage());
        try (Stream<Path> files = Files.list(store.directory())) {
            assertEquals(2, files.filter(p -> !p.getFileName().toString().startsWith(".")).count(),
                    "the first image and records.csv, nothing more");
        }
        assertEquals(2, Files.readAllLines(store.directory().resolve(ResultStore.CSV_NAME)).size());

        Files.delete(store.directory().resolve(first)); // the user makes room
        clock.now = clock.now.plusMillis(999);
        assertThrows(StorageFullException.class, () -> store.save(image, result(), "REST"),
                "the store counts the directory again at most once a second");
        clock.now = clock.now.plusMillis(1);
        assertEquals("20260301_133457_789.jpg", store.save(image, result(), "REST"));
        image.release();
    }

    @Test
    void cutsOffAHalfRowLeftByAKilledProcessWhenItOpens(@TempDir Path dir) throws Exception {
        String whole = ResultStore.CSV_HEADER + "\n2026-03-01T13:34:56.789+01:00,a.jpg,haar_v1,face,0,\"[]\",\"[]\",1.000,REST,"
                + "NO_DETECTION\n";
        Files.writeString(dir.resolve(ResultStore.CSV_NAME), whole + "2026-03-01T13:34:57.001+01:00,b.jpg,haar_v1,fa");
        new ResultStore(dir, FIXED);
        assertEquals(whole, Files.readString(dir.resolve(ResultStore.CSV_NAME)));
    }

    @Test
    void refusesToOpenWhereItCannotWriteAndSaysWhatToDo(@TempDir Path dir) throws Exception {
        Path notADirectory = dir.resolve("storage");
        Files.writeString(notADirectory, "a file where the directory should be");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new ResultStore(notADirectory, FIXED));
        assertTrue(e.getMessage().startsWith("the storage directory " + notADirectory + " is not writable"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("set --storage / STORAGE_DIR to a directory that is"), e.getMessage());
    }

    @Test
    void refusesADirectoryAnotherStoreHoldsUntilThatOneCloses(@TempDir Path dir) throws Exception {
        ResultStore first = new ResultStore(dir, FIXED);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new ResultStore(dir, FIXED));
        assertEquals("the storage directory " + dir + " is in use by another server: give each server a directory"
                + " of its own (--storage / STORAGE_DIR)", e.getCause().getMessage());
        first.close();
        new ResultStore(dir, FIXED).close();
    }

    @Test
    void quotesCsvFieldsThatNeedItPerRfc4180() {
        assertEquals("plain", RecordsCsv.field("plain"));
        assertEquals("\"a,b\"", RecordsCsv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", RecordsCsv.field("say \"hi\""));
    }

    /** A small RFC 4180 reader, enough to prove each row parses back into ten fields. */
    static List<String> parseCsvRow(String row) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted && c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        assertTrue(!quoted, "unterminated quote in " + row);
        return fields;
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private final ZoneId zone;
        volatile Instant now;

        MovableClock(Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return new MovableClock(now, other);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package inferbench.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inferbench.pipeline.Box;
import inferbench.pipeline.DetectionResult;
import inferbench.pipeline.OpenCv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    private static DetectionResult result(String filename) {
        return new DetectionResult(List.of(new Box(244.8f, 91.2f, 141.6f, 141.6f)), 12.5, filename, "");
    }

    @Test
    void namesFilesByTimeInTheConfiguredZoneAndSuffixesCollisions(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, FIXED);
        Mat image = crop();
        assertEquals("20260301_133456_789.jpg", store.saveImage(image));
        assertEquals("20260301_133456_789-1.jpg", store.saveImage(image));
        assertEquals("20260301_133456_789-2.jpg", store.saveImage(image));
        image.release();
    }

    @Test
    void writesTheHeaderOnceAndOneQuotedRowPerRecord(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, FIXED);
        store.appendRecord(result("a.jpg"), "REST");
        store.appendRecord(new DetectionResult(List.of(), 3.25, "b.jpg", ""), "gRPC");
        assertEquals(List.of(ResultStore.CSV_HEADER,
                "2026-03-01T13:34:56.789+01:00,a.jpg,haar_v1,face,1,\"[[244.8,91.2,141.6,141.6]]\",\"[0.9]\",12.500,REST,OK",
                "2026-03-01T13:34:56.789+01:00,b.jpg,haar_v1,face,0,\"[]\",\"[]\",3.250,gRPC,NO_DETECTION"),
                Files.readAllLines(store.csvFile()));
    }

    @Test
    void leavesNoTempFilesBehind(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, Clock.systemUTC());
        Mat image = crop();
        store.saveImage(image);
        image.release();
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void twoHundredConcurrentSavesGiveDistinctDecodableImagesAndAWellFormedCsv(@TempDir Path dir) throws Exception {
        ResultStore store = new ResultStore(dir, Clock.system(ZoneOffset.UTC));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> saves = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            saves.add(pool.submit(() -> {
                start.await();
                Mat image = crop();
                try {
                    String name = store.saveImage(image);
                    store.appendRecord(result(name), "REST");
                    return name;
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

        assertEquals(200, names.size());
        for (String name : names) {
            Mat saved = Imgcodecs.imread(dir.resolve(name).toString());
            assertEquals(720, saved.cols(), name);
            assertEquals(720, saved.rows(), name);
            saved.release();
        }
        List<String> lines = Files.readAllLines(store.csvFile());
        assertEquals(ResultStore.CSV_HEADER, lines.get(0));
        assertEquals(200, lines.size() - 1);
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
    void quotesCsvFieldsThatNeedItPerRfc4180() {
        assertEquals("plain", ResultStore.csvField("plain"));
        assertEquals("\"a,b\"", ResultStore.csvField("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", ResultStore.csvField("say \"hi\""));
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
}

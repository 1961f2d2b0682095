package inferbench.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import inferbench.pipeline.Box;
import inferbench.pipeline.DecodeMode;
import inferbench.pipeline.DetectionPipeline;
import inferbench.pipeline.DetectionResult;
import inferbench.pipeline.FaceDetector;
import inferbench.pipeline.OpenCv;
import inferbench.pipeline.PipelineSettings;
import inferbench.samples.SampleFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

/**
 * Saving on a really full disk: a 1 MiB tmpfs, mounted for the test. Mounting needs root (and
 * the right to mount), which CI has; elsewhere the test says it was skipped and why.
 *
 * <p>tmpfs hands out whole 4 KiB pages, which lets a test run out of space exactly where it
 * hurts most: after the image was written, in the middle of its records.csv row.
 */
@Tag("limits")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FullDiskTest {
    private static final int PAGE = 4096;

    static {
        OpenCv.load();
    }

    private Path disk;
    private boolean mounted;
    private ResultStore store;

    @BeforeEach
    void mountATinyDisk(@TempDir Path dir) throws Exception {
        disk = dir.resolve("tiny");
        Files.createDirectory(disk);
        String output = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString());
        mounted = output == null;
        assumeTrue(mounted, "skipped: mounting a 1 MiB tmpfs needs root and the right to mount (" + output + ")");
    }

    @AfterEach
    void unmount() throws Exception {
        if (store != null) {
            store.close(); // its lock file keeps the disk busy
        }
        if (mounted) {
            run("umount", disk.toString());
        }
    }

    @Test
    void everyRowIsWholeAndNamesAFileThatExistsWhileTheDiskFillsAndAfterItEmpties() throws Exception {
        Path storage = disk.resolve("storage");
        store = new ResultStore(storage, Clock.systemUTC());
        DetectionPipeline pipeline = new DetectionPipeline(new FaceDetector(null), store,
                PipelineSettings.DEFAULT_MAX_PIXELS, DecodeMode.EXACT);
        byte[] face = SampleFrames.faceJpeg();
        Path filler = disk.resolve("filler");
        Files.write(filler, new byte[700 * 1024]); // leaves room for a few saved crops

        int saved = 0;
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            DetectionResult result = pipeline.process(face, true, "REST");
            assertEquals(1, result.detectionCount(), "the detection is answered whatever happens to the save");
            if (result.filename().isEmpty()) {
                refused++;
                assertEquals("could not save the image: No space left on device", result.saveError());
            } else {
                saved++;
                assertEquals("", result.saveError());
                assertTrue(Files.exists(storage.resolve(result.filename())), result.filename());
            }
            assertConsistent(storage);
        }
        assertTrue(saved > 0 && refused > 0, saved + " saved, " + refused + " refused: the disk should have filled");

        Files.delete(filler); // space comes back
        DetectionResult after = pipeline.process(face, true, "REST");
        assertEquals("", after.saveError());
        assertFalse(after.filename().isEmpty());
        assertEquals(saved + 2, assertConsistent(storage), "the header, every earlier row and the new one");
    }

    @Test
    void aRowThatRunsOutOfSpaceHalfWayIsCutBackAndItsImageRemoved() throws Exception {
        Path storage = disk.resolve("storage");
        store = new ResultStore(storage, Clock.systemUTC());
        Mat small = new Mat(16, 16, CvType.CV_8UC3, new Scalar(40, 80, 120)); // a JPEG well under a page
        DetectionResult detection = new DetectionResult(List.of(new Box(1, 2, 3, 4)), 1.5, "", "");
        Path csv = storage.resolve("records.csv");
        int rowBytes = 0;
        while (rowBytes == 0 || PAGE - Files.size(csv) % PAGE >= rowBytes) { // until the next row overflows the page
            long before = Files.exists(csv) ? Files.size(csv) : 0;
            store.save(small, detection, "REST");
            rowBytes = (int) (Files.size(csv) - before) + 8; // timestamps vary a little in length
        }
        int lines = Files.readAllLines(csv).size();
        fillTheDisk();
        freeOnePage(); // room for the image, none for the end of its row

        IOException e = assertThrows(IOException.class, () -> store.save(small, detection, "REST"));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals(lines, assertConsistent(storage), "no half row, no image without a row");

        Files.delete(disk.resolve("filler"));
        store.save(small, detection, "REST");
        assertEquals(lines + 1, assertConsistent(storage), "the next row is a line of its own");
        small.release();
    }

    @Test
    void aStorageDirectoryThatCannotBeWrittenIsRefusedWhenTheStoreOpens() throws Exception {
        Path storage = disk.resolve("storage");
        Files.createDirectory(storage);
        assertEquals(null, run("mount", "-o", "remount,ro", disk.toString()));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new ResultStore(storage, Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("the storage directory " + storage + " is not writable"), e.getMessage());
    }

    private void fillTheDisk() throws IOException {
        try (var out = Files.newOutputStream(disk.resolve("filler"))) {
            byte[] block = new byte[PAGE];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // as intended
        }
    }

    private void freeOnePage() throws IOException {
        Path filler = disk.resolve("filler");
        long size = Files.size(filler);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            channel.truncate(size - size % PAGE - PAGE);
        }
    }

    /**
     * records.csv parses (every line whole, ten fields), every row's image exists, every image has
     * its row, and no temp file is left. Returns the number of lines.
     */
    private static int assertConsistent(Path storage) throws IOException {
        String csv = Files.readString(storage.resolve("records.csv"), StandardCharsets.UTF_8);
        assertTrue(csv.endsWith("\n"), "records.csv ends with a whole line");
        List<String> lines = List.of(csv.split("\n"));
        Set<String> named = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = ResultStoreTest.parseCsvRow(line);
            assertEquals(10, fields.size(), line);
            assertTrue(Files.exists(storage.resolve(fields.get(1))), "the row's image exists: " + line);
            named.add(fields.get(1));
        }
        List<String> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(storage)) {
            files.map(p -> p.getFileName().toString()).forEach(name -> {
                assertFalse(name.endsWith(".tmp"), "a temp file was left: " + name);
                if (name.endsWith(".jpg")) {
                    images.add(name);
                }
            });
        }
        assertEquals(named, new HashSet<>(images), "every image has its row");
        return lines.size();
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? null : (output.isEmpty() ? "exit " + process.exitValue() : output);
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}

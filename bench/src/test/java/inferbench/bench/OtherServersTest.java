package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole benchmark against servers it did not start, which offer only multipart REST and
 * unary gRPC: with the pipeline's answers, and with wrong ones.
 */
@Timeout(90)
class OtherServersTest {
    private static Floor floor;

    @BeforeAll
    static void pipeline(@TempDir Path storage) {
        floor = Floor.of(List.of(), 1, storage, false, false);
    }

    @Test
    void measuresTheTransportsOfferedReportsTheOthersAsNotOfferedAndChecksNoTargets(@TempDir Path out)
            throws Exception {
        try (PartialServers partial = new PartialServers(floor::answer)) {
            boolean passed = run(partial, out, "--wire-calls", "2", "--link", "none",
                    "--transports", "rest-multipart,rest-raw,grpc-unary,grpc-stream");

            String md = Files.readString(out.resolve("results.md"));
            assertTrue(passed, md);
            assertTrue(md.contains("- REST raw JPEG: **not offered** by the server (HTTP 415"), md);
            assertTrue(md.contains("- gRPC stream: **not offered** by the server (this server has no PredictStream"), md);
            assertTrue(md.contains("not started by the benchmark: its settings are unknown"), md);
            assertTrue(md.contains("Not checked: the benchmark did not start these servers"), md);
            assertFalse(md.contains("| target | measured | met |"), md);
            assertTrue(md.contains("## Bytes on the wire") && md.contains("| default 320x240 | gRPC unary |"), md);
            List<String[]> rows = csvRows(out.resolve("results.csv"));
            assertEquals(List.of(CellResult.FLOOR, "REST multipart", "gRPC unary"),
                    rows.stream().map(r -> r[2]).distinct().toList());
            rows.forEach(r -> assertEquals("0", r[7], "wrong answers in " + String.join(",", r)));
        }
    }

    @Test
    void wrongAnswersAreCountedApartAndLeftOutOfTheThroughputAndTheRunFails(@TempDir Path out) throws Exception {
        Function<byte[], Expected> alwaysNoFace = jpeg -> new Expected("NO_DETECTION", List.of());
        try (PartialServers wrong = new PartialServers(alwaysNoFace)) {
            boolean passed = run(wrong, out, "--wire-calls", "0", "--link", "none");

            assertFalse(passed, "a run with wrong answers must fail");
            for (String[] row : csvRows(out.resolve("results.csv"))) {
                if (row[2].equals(CellResult.FLOOR)) {
                    continue;
                }
                // Four requests alternate the face frame (answered wrongly) and the no-face frame.
                assertEquals("4", row[5], String.join(",", row));
                assertEquals("0", row[6], "errors: " + String.join(",", row));
                assertEquals("2", row[7], "wrong: " + String.join(",", row));
                // the CSV gives the seconds to the millisecond: the true value is within half of one
                double seconds = Double.parseDouble(row[8]);
                double requestsPerSecond = Double.parseDouble(row[9]);
                assertTrue(requestsPerSecond >= 2 / (seconds + 0.0005) - 0.01
                                && requestsPerSecond <= 2 / (seconds - 0.0005) + 0.01,
                        "req/s counts the right answers only: " + String.join(",", row));
                assertTrue(row[20].contains("wrong answer for the face frame: status NO_DETECTION, expected OK"),
                        row[20]);
            }
        }
    }

    @Test
    void overALinkTheQuickCheckFailsAGrpcServerWhoseWindowIsSmallerThanAFrame(@TempDir Path out) throws Exception {
        try (PartialServers smallWindow = new PartialServers(floor::answer, 64 * 1024)) {
            boolean passed = run(smallWindow, out, "--quick", "--wire-calls", "0",
                    "--transports", "rest-multipart,grpc-unary", "--link", "rtt=40ms", "--link-sizes", "1280x720",
                    "--link-requests", "2");

            String md = Files.readString(out.resolve("results.md"));
            assertFalse(passed, "a 64 KiB window makes a 1280x720 frame wait for window updates:\n" + md);
            assertTrue(md.contains("| gRPC unary over rtt=40ms, 1280x720 full frame: at most 1.5 round trips |"), md);
            List<String[]> links = csvRows(out.resolve(LinkReport.CSV));
            assertEquals(List.of("REST multipart", "gRPC unary"), links.stream().map(r -> r[11]).toList());
            String[] grpc = links.get(1);
            assertTrue(Double.parseDouble(grpc[7]) > 2, "fewest round trips: " + String.join(",", grpc));
            for (String[] row : links) { // a link can only add: at least a round trip per call, two for the first
                assertTrue(Double.parseDouble(row[7]) >= 0.9, "fewest round trips: " + String.join(",", row));
                assertTrue(Double.parseDouble(row[8]) >= 80, "first call: " + String.join(",", row));
                assertEquals("0", row[15], "errors: " + String.join(",", row));
            }
        }
    }

    private static boolean run(PartialServers servers, Path out, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--rest", servers.restUrl(), "--grpc", servers.grpcTarget(),
                "--frames", "default", "--size", "320x240", "--concurrency", "1", "--requests", "4", "--warmup", "0",
                "--first-warmup", "0", "--workers", "1", "--out", out.toString()));
        args.addAll(List.of(more));
        BenchOptions options = BenchOptions.parse(args.toArray(String[]::new));
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (PrintStream quiet = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
            System.setOut(quiet); // the table and the progress lines are not test output
            System.setErr(quiet);
            return new Benchmark(options, "test").run();
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** A CSV's rows split into fields (the quoted fields hold no commas here but the messages). */
    private static List<String[]> csvRows(Path csv) throws Exception {
        List<String[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            for (int i = 0; i < fields.length; i++) {
                fields[i] = fields[i].replaceAll("^\"|\"$", "");
            }
            rows.add(fields);
        }
        return rows;
    }
}

package inferbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final FrameSize SIZE = FrameSize.WEBCAM;

    @Test
    void everyServedRowShowsItsThroughputAsAFractionOfTheFloorsAtTheSameConcurrency() {
        List<CellResult> cells = List.of(cell("gRPC unary", 2, 45), cell(CellResult.FLOOR, 2, 50),
                cell(CellResult.FLOOR, 1, 30));

        String csv = Report.csv(cells);

        assertTrue(csv.contains("\"gRPC unary\",2,2,10,0,0,0.222,45.00,0.900,"), csv);
    }

    @Test
    void theTableListsTheFloorFirstWithinEachConcurrency() {
        List<CellResult> cells = List.of(cell("REST multipart", 1, 20), cell(CellResult.FLOOR, 1, 25));

        String[] rows = Report.table(cells, FrameSets.DEFAULT, SIZE).split("\n");

        assertTrue(rows[2].startsWith("| floor (in-process, 1 thread) | 1 |"), rows[2]);
        assertTrue(rows[3].startsWith("| REST multipart | 1 | 20.0 | 0.80 |"), rows[3]);
    }

    @Test
    void anErrorMessageWithCommasAndQuotesStaysInItsCsvColumn() {
        LoadRunner.Run run = new LoadRunner.Run(List.of(Sample.failed(1, "HTTP 400: bad \"file\", sorry")),
                1_000_000_000L);

        String row = Report.csv(List.of(CellResult.of("REST raw JPEG", FrameSets.DEFAULT, SIZE, 1, 1, run)))
                .split("\n")[1];

        assertTrue(row.contains(",\"HTTP 400: bad \"\"file\"\", sorry\",\"\","), row);
        assertEquals(Report.CSV_HEADER.split(",").length, row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1).length);
    }

    @Test
    void theServersOwnAccountSplitsItsTimeBesideTheClients() {
        CellResult cell = cell("gRPC unary", 1, 50).withServer(new ServerTime(10, 8.0, 0.5, 6.0));

        String table = Report.serverTable(List.of(cell, cell(CellResult.FLOOR, 1, 60)), FrameSets.DEFAULT, SIZE);

        assertTrue(table.contains("| gRPC unary | 1 | 10.00 | 8.00 | 0.50 | 6.00 | 1.50 | 2.00 | 10 of 10 |"), table);
        assertEquals(3, table.lines().filter(line -> line.startsWith("|")).count(), "a header, and no floor row");
    }

    /** A cell of ten 10 ms requests whose wall-clock time gives the wanted throughput. */
    private static CellResult cell(String transport, int concurrency, double throughput) {
        List<Sample> samples = java.util.Collections.nCopies(10, new Sample(10, 9, 1000, 100, "", ""));
        long nanos = Math.round(10 / throughput * 1e9);
        int threads = transport.equals(CellResult.FLOOR) ? Math.min(concurrency, 2) : concurrency;
        return CellResult.of(transport, FrameSets.DEFAULT, SIZE, concurrency, threads,
                new LoadRunner.Run(samples, nanos));
    }
}

import inferbench.json.JsonReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a real Prometheus made of the benchmark's traffic, asked through its HTTP API and held to
 * the benchmark's own figures: the checking half of scripts/test-metrics.sh (which starts the
 * servers, Prometheus and the benchmark).
 *
 * <p>Not part of a module: it runs with the client's dependencies on the class path (they hold
 * the JSON reader), as a single-file program
 * <pre>java -cp 'client/target/lib/*' scripts/MetricsCheck.java PROMETHEUS_URL RESULTS_CSV REQUESTS</pre>
 * or compiled once with javac. REQUESTS is what each server was sent (the same for both). It
 * checks, for each protocol:
 * <ol>
 * <li>{@code inferbench_requests_total} is REQUESTS, every one "ok";
 * <li>the p50, p90 and p99 Prometheus computes from the scraped buckets (histogram_quantile over
 * the whole run) agree with the benchmark's own end-to-end percentiles within a bucket: in the
 * benchmark's bucket or the next one either side, since a quantile from buckets is only known
 * to its bucket and the client's time includes loopback and the client itself;
 * <li>every recording rule of deploy/prometheus/rules.yml has a value.
 * </ol>
 * Exit status 0 only when all hold.
 */
public final class MetricsCheck {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The benchmark's transport measured for each protocol label. */
    private static final Map<String, String> TRANSPORTS = Map.of("rest", "REST tuned", "grpc", "gRPC unary");
    private static final String[] RULES = {"protocol:inferbench_requests:rate1m",
        "protocol:inferbench_request_duration_seconds:p50_1m", "protocol:inferbench_request_duration_seconds:p95_1m",
        "protocol:inferbench_request_duration_seconds:p99_1m", "protocol:inferbench_queue_wait:share1m",
        "protocol:inferbench_detection:share1m"};

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String prometheus;
    private static int failures;

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            fail("usage: MetricsCheck PROMETHEUS_URL RESULTS_CSV REQUESTS");
        }
        prometheus = args[0];
        Map<String, Map<String, String>> cells = cells(Path.of(args[1]));
        int requests = Integer.parseInt(args[2]);

        Map<String, Double> counted = await("sum by (protocol) (inferbench_requests_total)",
                byProtocol -> byProtocol.getOrDefault("rest", 0.0) >= requests
                        && byProtocol.getOrDefault("grpc", 0.0) >= requests);
        Map<String, Double> ok = query("sum by (protocol) (inferbench_requests_total{outcome=\"ok\"})");
        for (String protocol : TRANSPORTS.keySet()) {
            check(counted.get(protocol) == requests && ok.get(protocol) == requests, String.format(Locale.ROOT,
                    "%-4s inferbench_requests_total: %.0f (ok: %.0f), sent %d", protocol, counted.get(protocol),
                    ok.get(protocol), requests));
        }
        for (String protocol : TRANSPORTS.keySet()) {
            Map<String, String> cell = cells.get(TRANSPORTS.get(protocol));
            if (cell == null) {
                fail("no cell of " + TRANSPORTS.get(protocol) + " in " + args[1]);
            }
            double[] bounds = bucketBounds(protocol);
            for (String q : List.of("50", "90", "99")) {
                double promMs = query("histogram_quantile(0." + q + ", sum by (le) (inferbench_request_duration_seconds"
                        + "_bucket{protocol=\"" + protocol + "\"}))").values().iterator().next() * 1000;
                double benchMs = Double.parseDouble(cell.get("e2e_p" + q + "_ms"));
                int apart = Math.abs(bucket(bounds, promMs / 1000) - bucket(bounds, benchMs / 1000));
                check(apart <= 1, String.format(Locale.ROOT, "%-4s p%s: Prometheus %.1f ms (bucket %s), the benchmark"
                        + " %.1f ms end to end (bucket %s): %s", protocol, q, promMs, bucketName(bounds, promMs / 1000),
                        benchMs, bucketName(bounds, benchMs / 1000), apart == 0 ? "the same bucket"
                                : apart == 1 ? "the next bucket" : apart + " buckets apart"));
            }
        }
        for (String rule : RULES) {
            Map<String, Double> recorded = await(rule, values -> values.keySet().containsAll(TRANSPORTS.keySet()));
            boolean sane = recorded.values().stream().allMatch(v -> Double.isFinite(v) && v > 0
                    && (!rule.contains("share") || v <= 1));
            check(sane, String.format(Locale.ROOT, "recorded %s: rest %.4g, grpc %.4g", rule, recorded.get("rest"),
                    recorded.get("grpc")));
        }
        if (failures > 0) {
            fail(failures + " check(s) failed");
        }
        System.out.println("metrics: every check passed");
    }

    private static void check(boolean passed, String line) {
        System.out.println((passed ? "metrics: " : "metrics: FAILED: ") + line);
        if (!passed) {
            failures++;
        }
    }

    /** The upper bounds of the request-duration histogram, from Prometheus's own series, +Inf last. */
    private static double[] bucketBounds(String protocol) throws Exception {
        List<Map<String, Object>> series = result("inferbench_request_duration_seconds_bucket{protocol=\"" + protocol
                + "\"}");
        return series.stream().map(s -> (String) ((Map<?, ?>) s.get("metric")).get("le"))
                .mapToDouble(le -> le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le))
                .sorted().distinct().toArray();
    }

    /** The index of the bucket a value falls in: the first whose upper bound is at least the value. */
    private static int bucket(double[] bounds, double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                return i;
            }
        }
        return bounds.length;
    }

    private static String bucketName(double[] bounds, double value) {
        int i = bucket(bounds, value);
        return String.format(Locale.ROOT, "%s to %s ms", i == 0 ? "0" : ms(bounds[i - 1]), ms(bounds[i]));
    }

    private static String ms(double seconds) {
        return Double.isInfinite(seconds) ? "+Inf" : String.format(Locale.ROOT, "%.0f", seconds * 1000);
    }

    private interface Condition {
        boolean holds(Map<String, Double> byProtocol);
    }

    /** Queries until the answer meets the condition (Prometheus scrapes and evaluates every second here). */
    private static Map<String, Double> await(String query, Condition condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Map<String, Double> answer = query(query);
            if (condition.holds(answer)) {
                return answer;
            }
            if (System.nanoTime() > deadline) {
                fail("Prometheus still answers " + answer + " to " + query + " after " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }

    /** An instant query's values by their protocol label ("" for none). */
    private static Map<String, Double> query(String query) throws Exception {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map<String, Object> series : result(query)) {
            Object protocol = ((Map<?, ?>) series.get("metric")).get("protocol");
            values.put(protocol == null ? "" : (String) protocol,
                    Double.parseDouble((String) ((List<?>) series.get("value")).get(1)));
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> result(String query) throws Exception {
        URI uri = URI.create(prometheus + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> json = JsonReader.parseObject(response.body());
        if (response.statusCode() != 200 || !"success".equals(json.get("status"))) {
            fail("Prometheus answered " + response.statusCode() + " " + response.body() + " to " + query);
        }
        return (List<Map<String, Object>>) ((Map<String, Object>) json.get("data")).get("result");
    }

    /**
     * The benchmark's results.csv, one row per cell, by transport. Its only fields that may hold a
     * comma are the first error and wrong answer, which are empty after a run that passed.
     */
    private static Map<String, Map<String, String>> cells(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.replace("\"", "").split(",", -1);
            Map<String, String> cell = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < fields.length; i++) {
                cell.put(header.get(i), fields[i]);
            }
            cells.put(cell.get("transport"), cell);
        }
        return cells;
    }

    private static void fail(String message) {
        System.err.println("metrics: FAILED: " + message);
        System.exit(1);
    }
}

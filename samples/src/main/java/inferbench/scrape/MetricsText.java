package inferbench.scrape;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of one scrape of a Prometheus text exposition (format 0.0.4, what
 * {@code GET /metrics} answers by default), read by name and labels: what the benchmark reads
 * the servers' histograms with, and the tests their counters. Comments and the metadata lines are
 * skipped; timestamps are ignored.
 */
public final class MetricsText {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private MetricsText(List<Sample> samples) {
        this.samples = samples;
    }

    /** {@code GET uri}; a status other than 200 is an IOException saying so. */
    public static MetricsText scrape(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode() + ", not the metrics");
        }
        return parse(response.body());
    }

    public static MetricsText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line.strip()));
            }
        }
        return new MetricsText(samples);
    }

    /**
     * The sum of the samples named {@code name} whose labels include these ({@code "protocol",
     * "rest", ...}, in pairs), 0 when there are none: with every label given, one sample's value;
     * with fewer, their total (every outcome's requests of a protocol, say).
     */
    public double value(String name, String... labelPairs) {
        double total = 0;
        for (Sample sample : samples) {
            if (sample.name.equals(name) && has(sample.labels, labelPairs)) {
                total += sample.value;
            }
        }
        return total;
    }

    /** True when a sample of that name exists at all. */
    public boolean has(String name) {
        return samples.stream().anyMatch(sample -> sample.name.equals(name));
    }

    private static boolean has(Map<String, String> labels, String[] pairs) {
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                return false;
            }
        }
        return true;
    }

    /** {@code name{a="x",b="y"} value [timestamp]}, label values with \\, \" and \n escapes. */
    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new HashMap<>();
        String name;
        int rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                for (i = eq + 2; line.charAt(i) != '"'; i++) { // eq + 1 is the opening quote
                    char c = line.charAt(i);
                    if (c == '\\') {
                        c = line.charAt(++i);
                        value.append(c == 'n' ? '\n' : c);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i++; // the closing quote
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = i + 1;
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        String[] fields = line.substring(rest).strip().split("\\s+");
        return new Sample(name, labels, Double.parseDouble(fields[0].replace("Inf", "Infinity")));
    }
}

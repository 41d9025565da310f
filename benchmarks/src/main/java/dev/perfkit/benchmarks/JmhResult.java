package dev.perfkit.benchmarks;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One score of a JMH run, read from JMH's JSON result file ({@code -rf json}): the primary result of a benchmark, or,
 * for a {@code @Group} benchmark, the result of one of its methods ({@link #label()} names it).
 *
 * @param benchmark          fully qualified benchmark name, e.g. {@code dev.perfkit.benchmarks.OverheadBenchmark.baseline}
 * @param mode               JMH mode short name: {@code avgt}, {@code thrpt}, {@code sample}, {@code ss}
 * @param threads            threads the benchmark ran with
 * @param params             {@code @Param} values, sorted by name; empty when none
 * @param label              null for the primary result, else the group method's name
 * @param score              the score in {@link #unit()}
 * @param scoreError         JMH's 99.9% confidence half-width, NaN when it could not be computed (one iteration)
 * @param unit               e.g. {@code ns/op}, {@code ops/s}
 * @param allocBytesPerOp    {@code gc.alloc.rate.norm} from {@code -prof gc} in B/op, NaN when absent
 */
record JmhResult(String benchmark, String mode, int threads, Map<String, String> params, String label, double score,
                 double scoreError, String unit, double allocBytesPerOp) {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // JMH may write NaN bare
            .build();
    private static final String ALLOC_NORM = "gc.alloc.rate.norm";

    JmhResult {
        params = Map.copyOf(params);
    }

    /** Identity across runs: benchmark, params, group method and mode (threads are part of the benchmark's class). */
    String key() {
        return display() + " " + mode;
    }

    /** {@code benchmark{param=value,...}:label}, as shown in tables. */
    String display() {
        StringBuilder out = new StringBuilder(benchmark);
        if (!params.isEmpty()) {
            out.append(new TreeMap<>(params).toString().replace(", ", ","));
        }
        if (label != null) {
            out.append(':').append(label);
        }
        return out.toString();
    }

    /** The benchmark's class: the name up to its last dot. */
    String benchmarkClass() {
        int dot = benchmark.lastIndexOf('.');
        return dot < 0 ? "" : benchmark.substring(0, dot);
    }

    /** The benchmark's method: the name after its last dot. */
    String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    boolean hasAllocation() {
        return !Double.isNaN(allocBytesPerOp);
    }

    static List<JmhResult> read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /**
     * Reads JMH's JSON: an array of benchmark objects. Secondary metrics in the primary's unit (one per method of a
     * {@code @Group}) become results of their own; of the profilers' results only {@code gc.alloc.rate.norm} is kept.
     *
     * @throws IllegalArgumentException naming the field when the text is not a JMH result array
     */
    static List<JmhResult> parse(String json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("not a JMH JSON result: expected a top-level array, found "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonNode node : root) {
            String benchmark = requireText(node, "benchmark");
            String mode = requireText(node, "mode");
            int threads = node.path("threads").asInt(1);
            Map<String, String> params = new TreeMap<>();
            node.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode primary = node.path("primaryMetric");
            if (!primary.isObject()) {
                throw new IllegalArgumentException("JMH result for " + benchmark + " has no primaryMetric object");
            }
            double alloc = Double.NaN;
            JsonNode secondaries = node.path("secondaryMetrics");
            for (Iterator<Map.Entry<String, JsonNode>> it = secondaries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().endsWith(ALLOC_NORM)) {
                    alloc = number(e.getValue(), "score");
                }
            }
            results.add(new JmhResult(benchmark, mode, threads, params, null, number(primary, "score"),
                    number(primary, "scoreError"), primary.path("scoreUnit").asText(""), alloc));
            String primaryUnit = primary.path("scoreUnit").asText("");
            for (Iterator<Map.Entry<String, JsonNode>> it = secondaries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String unit = e.getValue().path("scoreUnit").asText("");
                if (!isGroupMethod(e.getKey(), unit, primaryUnit)) {
                    continue;
                }
                results.add(new JmhResult(benchmark, mode, threads, params, e.getKey(), number(e.getValue(), "score"),
                        number(e.getValue(), "scoreError"), unit, Double.NaN));
            }
        }
        return results;
    }

    /**
     * A {@code @Group} method's result has the primary's unit; profiler results ({@code gc.alloc.rate} in MB/sec,
     * {@code gc.count}; older JMH versions prefixed them with a middle dot) do not.
     */
    private static boolean isGroupMethod(String name, String unit, String primaryUnit) {
        return !name.startsWith("\u00b7") && !name.endsWith(ALLOC_NORM) && unit.equals(primaryUnit);
    }

    private static String requireText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("JMH result entry lacks text field '" + field + "': " + node);
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Double.NaN;
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        try {
            return Double.parseDouble(value.asText()); // JMH writes "NaN" as a string
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}

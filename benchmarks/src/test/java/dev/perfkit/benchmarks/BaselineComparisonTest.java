package dev.perfkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.benchmarks.BaselineComparison.Row;
import dev.perfkit.benchmarks.BaselineComparison.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineComparisonTest {

    private static final String OVERHEAD = "dev.perfkit.benchmarks.OverheadBenchmark.";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void compareFiles_withinTolerance_exitsZero() throws Exception {
        int status = tool("--compare-files", fixture("baseline.json"), fixture("within-tolerance.json"));

        assertThat(status).as(output()).isEqualTo(BaselineTool.EXIT_OK);
        assertThat(output()).contains("0 regressed").doesNotContain("REGRESSED");
    }

    @Test
    void compareFiles_regressed_exitsNonZeroAndNamesTheBenchmark() throws Exception {
        int status = tool("--compare-files", fixture("baseline.json"), fixture("regressed.json"));

        assertThat(status).as(output()).isEqualTo(BaselineTool.EXIT_REGRESSED);
        assertThat(output())
                .contains("REGRESSED OverheadBenchmark.TwoThreads.timedWoven (2 threads): 1.60x its baseline "
                        + "relative to clockFloor")
                .contains("1 regressed");
        assertThat(output().lines().filter(line -> line.endsWith("REGRESSED")))
                .singleElement().asString().startsWith("OverheadBenchmark.TwoThreads.timedWoven ");
    }

    @Test
    void compareFiles_widerTolerance_acceptsTheSameRegression() throws Exception {
        int status = tool("--tolerance", "0.7", "--compare-files", fixture("baseline.json"), fixture("regressed.json"));

        assertThat(status).as(output()).isEqualTo(BaselineTool.EXIT_OK);
    }

    @Test
    void compare_uniformlySlowerMachine_isJudgedRelativeToClockFloor() throws Exception {
        BaselineComparison comparison = BaselineComparison.compare(
                JmhResult.read(Path.of(fixture("baseline.json"))),
                JmhResult.read(Path.of(fixture("within-tolerance.json"))), 0.15);

        Row timed = row(comparison, "OverheadBenchmark.timedWoven");
        assertThat(timed.score() / timed.baselineScore()).isCloseTo(1.365, within(0.001)); // 1.3 x 1.05 absolute
        assertThat(timed.basis()).isEqualTo("clockFloor");
        assertThat(timed.ratio()).isCloseTo(1.05, within(0.001));
        assertThat(timed.verdict()).isEqualTo(Verdict.OK);
        assertThat(row(comparison, "OverheadBenchmark.clockFloor").verdict()).isEqualTo(Verdict.REFERENCE);
        assertThat(row(comparison, "OverheadBenchmark.baseline").verdict()).isEqualTo(Verdict.REFERENCE);
    }

    @Test
    void compare_groupMethodsWithoutReference_areComparedAbsolutely() throws Exception {
        BaselineComparison comparison = BaselineComparison.compare(
                JmhResult.read(Path.of(fixture("baseline.json"))),
                JmhResult.read(Path.of(fixture("within-tolerance.json"))), 0.15);

        Row reader = row(comparison, "SnapshotBenchmark.snapshots{timerCount=100}:snapshotsReader");
        assertThat(reader.basis()).isEqualTo("absolute");
        assertThat(reader.ratio()).isCloseTo(1.10, within(0.001));
        assertThat(reader.unit()).isEqualTo("us/op");
        assertThat(reader.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void compare_differentTimeUnits_areConvertedBeforeComparing() throws IOException {
        List<JmhResult> baseline = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 1, 2.0, "us/op", -1)));
        List<JmhResult> current = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 1, 2100.0, "ns/op", -1)));

        Row row = BaselineComparison.compare(baseline, current, 0.15).rows().get(0);

        assertThat(row.ratio()).isCloseTo(1.05, within(0.0001));
        assertThat(row.baselineScore()).isCloseTo(2000.0, within(0.0001));
        assertThat(row.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void compare_allocationAboveBaseline_regressesEvenWhenTimeIsUnchanged() throws IOException {
        List<JmhResult> baseline = JmhResult.parse(json(
                result(OVERHEAD + "clockFloor", 1, 66, "ns/op", 0.001),
                result(OVERHEAD + "timedWoven", 1, 70, "ns/op", 0.002)));
        List<JmhResult> current = JmhResult.parse(json(
                result(OVERHEAD + "clockFloor", 1, 66, "ns/op", 0.001),
                result(OVERHEAD + "timedWoven", 1, 70, "ns/op", 16.0)));

        BaselineComparison comparison = BaselineComparison.compare(baseline, current, 0.15);

        Row timed = row(comparison, "OverheadBenchmark.timedWoven");
        assertThat(timed.verdict()).isEqualTo(Verdict.REGRESSED);
        assertThat(timed.reason()).contains("allocates 16.0 B/op");
        assertThat(comparison.render()).contains("REGRESSED OverheadBenchmark.timedWoven (1 thread): allocates");
    }

    @Test
    void compare_allocationNoiseBelowSlack_isNotARegression() throws IOException {
        List<JmhResult> baseline = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 1, 10, "ns/op", 0.0)));
        List<JmhResult> current = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 1, 10, "ns/op", 0.9)));

        assertThat(BaselineComparison.compare(baseline, current, 0.15).hasRegression()).isFalse();
    }

    @Test
    void compare_throughput_higherIsBetter() throws IOException {
        List<JmhResult> baseline = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 1, 1000, "ops/ms", -1)));
        List<JmhResult> slower = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 1, 500, "ops/ms", -1)));
        List<JmhResult> faster = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 1, 2, "ops/us", -1)));

        assertThat(BaselineComparison.compare(baseline, slower, 0.15).rows().get(0).verdict())
                .isEqualTo(Verdict.REGRESSED);
        Row improved = BaselineComparison.compare(baseline, faster, 0.15).rows().get(0);
        assertThat(improved.ratio()).isCloseTo(0.5, within(0.0001));
        assertThat(improved.verdict()).isEqualTo(Verdict.IMPROVED);
    }

    @Test
    void compare_differentThreadCounts_areIncomparableNotRegressed() throws IOException {
        List<JmhResult> baseline = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 1, 10, "ns/op", -1)));
        List<JmhResult> current = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.read", 2, 30, "ns/op", -1)));

        BaselineComparison comparison = BaselineComparison.compare(baseline, current, 0.15);

        assertThat(comparison.rows().get(0).verdict()).isEqualTo(Verdict.INCOMPARABLE);
        assertThat(comparison.hasRegression()).isFalse();
    }

    @Test
    void compare_scoresOnOneSideOnly_areNewOrMissingAndDoNotFail() throws IOException {
        List<JmhResult> baseline = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.old", 1, 10, "ns/op", -1)));
        List<JmhResult> current = JmhResult.parse(json(result("dev.perfkit.benchmarks.X.added", 1, 10, "ns/op", -1)));

        BaselineComparison comparison = BaselineComparison.compare(baseline, current, 0.15);

        assertThat(comparison.rows()).extracting(Row::name, Row::verdict).containsExactly(
                org.assertj.core.groups.Tuple.tuple("X.added", Verdict.NEW),
                org.assertj.core.groups.Tuple.tuple("X.old", Verdict.MISSING));
        assertThat(comparison.hasRegression()).isFalse();
    }

    @Test
    void compare_toleranceOutOfRange_isRejected() {
        assertThatThrownBy(() -> BaselineComparison.compare(List.of(), List.of(), -0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tolerance must be in [0, 10]");
    }

    @Test
    void parse_groupBenchmark_yieldsThePrimaryAndOneResultPerMethodButNoProfilerMetrics() throws Exception {
        List<JmhResult> results = JmhResult.read(Path.of(fixture("baseline.json")));

        assertThat(results).filteredOn(r -> r.benchmark().endsWith("SnapshotBenchmark.snapshots"))
                .extracting(JmhResult::label)
                .containsExactly(null, "snapshotsReader", "snapshotsWriter");
        JmhResult group = results.stream().filter(r -> r.benchmark().endsWith("SnapshotBenchmark.snapshots"))
                .findFirst().orElseThrow();
        assertThat(group.params()).containsEntry("timerCount", "100");
        assertThat(group.allocBytesPerOp()).isEqualTo(120000.0);
        assertThat(results.get(0).scoreError()).isEqualTo(0.021);
    }

    @Test
    void parse_notAnArray_failsWithAPreciseMessage() {
        assertThatThrownBy(() -> JmhResult.parse("{\"benchmark\": \"x\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a top-level array");
    }

    @Test
    void run_missingFile_exitsWithUsageStatus() throws Exception {
        int status = tool("--compare-files", fixture("baseline.json"), "/nonexistent/new.json");

        assertThat(status).isEqualTo(BaselineTool.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such JMH JSON file: /nonexistent/new.json");
    }

    @Test
    void run_compareFilesWithAMalformedFile_exitsWithFailureStatus(@TempDir Path dir) throws Exception {
        Path malformed = Files.writeString(dir.resolve("malformed.json"), "{\"benchmark\": \"x\"}");

        int status = tool("--compare-files", fixture("baseline.json"), malformed.toString());

        assertThat(status).isEqualTo(BaselineTool.EXIT_FAILED);
        assertThat(errText()).contains("expected a top-level array");
    }

    @Test
    void run_unknownOption_exitsWithUsageStatusAndNamesTheOption() {
        assertThat(tool("--fork", "1")).isEqualTo(BaselineTool.EXIT_USAGE);

        assertThat(errText()).contains("Unknown option: '--fork'").contains("JMH's own options go after --");
        assertThat(out.size()).isZero();
    }

    @Test
    void run_toleranceNotANumber_exitsWithUsageStatusAndNamesOptionAndValue() {
        assertThat(tool("--tolerance", "abc", "--compare-files", "a.json", "b.json"))
                .isEqualTo(BaselineTool.EXIT_USAGE);

        assertThat(errText()).contains("--tolerance").contains("must be a number such as 0.15, was 'abc'");
    }

    @Test
    void run_toleranceOutOfRange_exitsWithUsageStatusAndNamesOptionValueAndRange() {
        assertThat(tool("--tolerance", "10.5", "--compare-files", "a.json", "b.json"))
                .isEqualTo(BaselineTool.EXIT_USAGE);

        assertThat(errText()).contains("--tolerance").contains("must be in [0, 10]").contains("was 10.5");
    }

    @Test
    void run_negativeCount_exitsWithUsageStatusAndNamesOptionValueAndMinimum() {
        assertThat(tool("--forks", "-1", "NoSuchBenchmark")).isEqualTo(BaselineTool.EXIT_USAGE);

        assertThat(errText()).contains("--forks").contains("must be an integer >= 0, was '-1'");
    }

    @Test
    void run_zeroIterations_exitsWithUsageStatus_iterationsStartAtOne() {
        assertThat(tool("--iterations", "0", "NoSuchBenchmark")).isEqualTo(BaselineTool.EXIT_USAGE);

        assertThat(errText()).contains("--iterations").contains("must be an integer >= 1, was '0'");
    }

    @Test
    void run_badDurationOrName_exitsWithUsageStatusAndNamesTheOption() {
        assertThat(tool("--time", "soon", "NoSuchBenchmark")).isEqualTo(BaselineTool.EXIT_USAGE);
        assertThat(errText()).contains("--time").contains("must be a duration such as 1s or 200ms, was 'soon'");

        err.reset();
        assertThat(tool("--save", "../main", "NoSuchBenchmark")).isEqualTo(BaselineTool.EXIT_USAGE);
        assertThat(errText()).contains("--save").contains("was '../main'");
    }

    @Test
    void run_optionWithoutItsValue_exitsWithUsageStatus() {
        assertThat(tool("--compare")).isEqualTo(BaselineTool.EXIT_USAGE);

        assertThat(errText()).contains("--compare");
    }

    @Test
    void run_compareFilesWithARegex_isRejectedBeforeReadingAnything() {
        assertThat(tool("--compare-files", "a.json", "b.json", "OverheadBenchmark"))
                .isEqualTo(BaselineTool.EXIT_USAGE);

        assertThat(errText()).contains("--compare-files runs nothing");
    }

    @Test
    void run_help_printsEveryOptionAndExitsZero() {
        assertThat(tool("--help")).isEqualTo(BaselineTool.EXIT_OK);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--save", "--compare", "--compare-files", "--dir",
                "--tolerance", "--result", "--forks", "--warmup-iterations", "--iterations", "--time",
                "--warmup-time", "--prof", "-- JMH-OPTIONS", "(default: 0.15", "(default: benchmarks/baselines)");
        assertThat(err.size()).isZero();
    }

    @Test
    void run_argumentsAfterDoubleDash_goToJmhNotToOurOptions() {
        // Ours would reject --forks -1 as a negative count; after -- it is JMH's to judge (JMH has no --forks).
        assertThat(tool("NoSuchBenchmark", "--", "--forks", "-1")).isEqualTo(BaselineTool.EXIT_USAGE);

        assertThat(errText()).contains("JMH options after --").doesNotContain("must be an integer");
    }

    @Test
    void run_optionsAndJmhArguments_reachTheJmhRunAndTheSavedBaseline(@TempDir Path dir) throws IOException {
        Path result = dir.resolve("run.json");

        int status = tool("--dir", dir.toString(), "--save", "quick", "--result", result.toString(),
                "--forks", "0", "--warmup-iterations", "0", "--iterations", "1", "--time", "20ms",
                "OverheadBenchmark\\.baseline$", "--", "-t", "2");

        assertThat(status).as(output()).isEqualTo(BaselineTool.EXIT_OK);
        List<JmhResult> run = JmhResult.read(result);
        assertThat(run).singleElement().satisfies(r -> {
            assertThat(r.benchmark()).isEqualTo(OVERHEAD + "baseline");
            assertThat(r.threads()).isEqualTo(2);
        });
        String json = Files.readString(result);
        assertThat(json).contains("\"forks\" : 0", "\"warmupIterations\" : 0", "\"measurementIterations\" : 1",
                "\"measurementTime\" : \"20 ms\"");
        assertThat(dir.resolve("quick.json")).hasSameTextualContentAs(result);
    }

    @Test
    void run_compareWithMissingBaseline_failsBeforeRunningAnything() {
        int status = tool("--dir", "/nonexistent", "--compare", "main", "NoSuchBenchmark");

        assertThat(status).isEqualTo(BaselineTool.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no baseline /nonexistent/main.json");
    }

    @Test
    void baselinePath_bareNameIsInTheDirectory_pathIsTakenAsIs() {
        assertThat(BaselineTool.baselinePath(Path.of("b"), "main")).isEqualTo(Path.of("b/main.json"));
        assertThat(BaselineTool.baselinePath(Path.of("b"), "/tmp/x.json")).isEqualTo(Path.of("/tmp/x.json"));
    }

    private int tool(String... args) {
        return BaselineTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private static String fixture(String name) throws URISyntaxException {
        return Path.of(BaselineComparisonTest.class.getResource("/jmh/" + name).toURI()).toString();
    }

    private static Row row(BaselineComparison comparison, String name) {
        return comparison.rows().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in " + comparison.rows()));
    }

    private static org.assertj.core.data.Offset<Double> within(double offset) {
        return org.assertj.core.data.Offset.offset(offset);
    }

    /** One JMH JSON entry; {@code allocBytes < 0} leaves out the gc profiler's result. */
    private static String result(String benchmark, int threads, double score, String unit, double allocBytes) {
        String secondaries = allocBytes < 0 ? "{}"
                : String.format(Locale.ROOT, "{\"\u00b7gc.alloc.rate.norm\": {\"score\": %s, \"scoreUnit\": \"B/op\"}}",
                        allocBytes);
        return String.format(Locale.ROOT, "{\"benchmark\": \"%s\", \"mode\": \"avgt\", \"threads\": %d, "
                + "\"primaryMetric\": {\"score\": %s, \"scoreError\": \"NaN\", \"scoreUnit\": \"%s\"}, "
                + "\"secondaryMetrics\": %s}", benchmark, threads, score, unit, secondaries);
    }

    private static String json(String... results) {
        return "[" + String.join(",", results) + "]";
    }
}

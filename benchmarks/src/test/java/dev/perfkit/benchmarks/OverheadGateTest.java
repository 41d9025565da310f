package dev.perfkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverheadGateTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void run_cheapAndAllocationFree_passes() throws IOException {
        int status = gate(result(50, 0.001, 62, 0.002, 61, 0.003));

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("ok     timedWoven costs 62.0 ns/op = 1.24x clockFloor 50.0 ns/op");
    }

    @Test
    void run_timedWovenAllocates_failsNamingTheBenchmarkAndBytes() throws IOException {
        int status = gate(result(50, 0.001, 62, 16.0, 61, 0.003));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("FAILED timedWoven allocates 16.00 B/op");
    }

    @Test
    void run_stopwatchAllocates_fails() throws IOException {
        int status = gate(result(50, 0.001, 62, 0.0, 61, 24.0));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("FAILED stopwatch allocates 24.00 B/op");
    }

    @Test
    void run_timedWovenAboveTheRatio_failsWithTheFigures() throws IOException {
        int status = gate(result(50, 0.001, 130, 0.0, 61, 0.0));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("FAILED timedWoven costs 130.0 ns/op = 2.60x clockFloor 50.0 ns/op");
    }

    @Test
    void run_missingBenchmark_isAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("partial.json"), "[" + entry("clockFloor", 50, 0.0) + "]");

        int status = OverheadGate.run(new String[] {file.toString()}, print(out), print(err));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("lacks one of");
    }

    private int gate(String json) throws IOException {
        Path file = Files.writeString(dir.resolve("run.json"), json);
        return OverheadGate.run(new String[] {file.toString()}, print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String result(double floorNs, double floorBytes, double timedNs, double timedBytes,
                                 double stopwatchNs, double stopwatchBytes) {
        return "[" + entry("clockFloor", floorNs, floorBytes) + "," + entry("timedWoven", timedNs, timedBytes) + ","
                + entry("stopwatch", stopwatchNs, stopwatchBytes) + "]";
    }

    private static String entry(String method, double ns, double bytes) {
        return String.format(Locale.ROOT, """
                {"jmhVersion":"1.37","benchmark":"dev.perfkit.benchmarks.OverheadBenchmark.%s","mode":"avgt",
                 "threads":1,"forks":1,"primaryMetric":{"score":%s,"scoreError":0.5,"scoreUnit":"ns/op"},
                 "secondaryMetrics":{"gc.alloc.rate.norm":{"score":%s,"scoreError":"NaN","scoreUnit":"B/op"}}}
                """, method, ns, bytes);
    }
}

package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * perf-runtime works with micrometer-core and the Prometheus client absent from the class path: weaving, recording
 * and every export, protobuf with native histograms included.
 */
class OptionalMicrometerTest {

    @Test
    void wovenCallsAndExports_workWithoutMicrometerOrPrometheusClient(@TempDir Path dir) throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("micrometer") && !entry.contains("io/prometheus"))
                .collect(Collectors.joining(File.pathSeparator));
        Path log = dir.resolve("child.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, NoMicrometerMain.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as("exit code; output: %s", lines).isZero();
        assertThat(lines).contains("micrometer=false", "prometheus=false", "count=5", "profiled=1",
                "scrape=application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited "
                        + "bytes=true");
        assertThat(lines).anySatisfy(line -> assertThat(line).matches("protobuf=[1-9][0-9]*"));
    }
}

package dev.perfkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.export.HistogramBuckets;
import dev.perfkit.export.HistogramLog;
import dev.perfkit.export.PrometheusText;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of three {@code traffic-perf serve} processes (different sources and seeds) scraped every second by two real
 * Prometheus servers on loopback: one with native histograms (protobuf scrapes), one without (text scrapes, classic
 * buckets). Once the processes have stopped recording, PromQL over all three instances must agree with the exact
 * values merged from the processes' own HdrHistogram logs.
 */
class PrometheusFleetEndToEndTest {

    private static final int CYCLES = 4;
    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void promql_overThreeInstances_matchesTheMergedHdrHistogramLogs(@TempDir Path dir) throws Exception {
        Path prometheus = prometheusBinary();
        List<Process> processes = new ArrayList<>();
        try {
            String[][] sources = {
                {"--source", "simulated", "--seed", "1"},
                {"--source", "simulated", "--seed", "2", "--edges", "300"},
                {"--source", "replay"},
            };
            List<Path> logs = new ArrayList<>();
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < sources.length; i++) {
                Path work = Files.createDirectories(dir.resolve("instance-" + i));
                List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--interval", "200ms",
                        "--cycles", Integer.toString(CYCLES), "--data-dir", "data"));
                args.addAll(List.of(sources[i]));
                processes.add(ChildJvm.start(work, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                        args.toArray(String[]::new))));
                logs.add(work.resolve("data").resolve(MetricsFiles.METRICS_LOG));
            }
            for (int i = 0; i < sources.length; i++) {
                Path work = dir.resolve("instance-" + i);
                String line = poll("instance " + i + " to print its address", () -> Stream.of(
                        stdout(work).split("\n")).filter(l -> l.startsWith("Dashboard at ")).findFirst());
                ports.add(URI.create(line.substring("Dashboard at ".length()).split(" ")[0]).getPort());
            }
            String targets = ports.stream().map(p -> "'127.0.0.1:" + p + "'")
                    .reduce((a, b) -> a + ", " + b).orElseThrow();
            Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: traffic-perf
                        metrics_path: /metrics
                        static_configs:
                          - targets: [%s]
                    """.formatted(targets));
            int nativePort = freePort();
            int classicPort = freePort();
            processes.add(startPrometheus(prometheus, config, dir.resolve("native"), nativePort, true));
            processes.add(startPrometheus(prometheus, config, dir.resolve("classic"), classicPort, false));

            // the processes stop recording after CYCLES cycles; each cycle is flushed to its log
            for (Path log : logs) {
                poll("all cycles in " + log, () -> readLog(log).stream()
                        .filter(s -> s.name().equals(TrafficMetrics.CYCLE_RUN) && s.count() == CYCLES).findFirst());
            }
            List<TimerSnapshot> merged = HistogramLog.read(logs.toArray(Path[]::new));
            TimerSnapshot timer = busiestTimerInEveryLog(logs, merged);
            // every instance recorded it in every cycle
            assertThat(timer.count()).as("values of %s", timer.name()).isGreaterThanOrEqualTo(3L * CYCLES);
            String metric = PrometheusText.sanitizeName(timer.name()) + "_seconds";
            double exactP99Seconds = timer.p99() / 1e9;

            // native histograms: exact count over the fleet, p99 within 3%
            double count = poll("native count of " + metric, () -> query(nativePort,
                    "histogram_count(sum(" + metric + "))").filter(v -> v == timer.count()));
            assertThat(count).isEqualTo((double) timer.count());
            assertThat(query(nativePort, "count(" + metric + ")")).hasValue(3.0);
            double nativeP99 = query(nativePort, "histogram_quantile(0.99, sum(" + metric + "))").orElseThrow();
            assertThat(nativeP99).as("native p99 vs exact %s s", exactP99Seconds)
                    .isCloseTo(exactP99Seconds, within(0.03 * exactP99Seconds));
            double nativeSum = query(nativePort, "histogram_sum(sum(" + metric + "))").orElseThrow();
            assertThat(nativeSum).isCloseTo(timer.total() / 1e9, within(1e-6 * timer.total() / 1e9));

            // classic buckets: exact count, p99 inside the bucket that holds the exact p99
            poll("classic count of " + metric, () -> query(classicPort, "sum(" + metric + "_count)")
                    .filter(v -> v == timer.count()));
            double classicP99 = query(classicPort,
                    "histogram_quantile(0.99, sum by (le) (" + metric + "_bucket))").orElseThrow();
            long[] bounds = HistogramBuckets.defaultFor(MetricUnit.NANOSECONDS).upperBounds();
            int bucket = 0;
            while (bounds[bucket] < timer.p99()) {
                bucket++;
            }
            double lower = bucket == 0 ? 0 : bounds[bucket - 1] / 1e9;
            assertThat(classicP99).as("classic p99 vs exact %s s", exactP99Seconds)
                    .isBetween(lower, bounds[bucket] / 1e9);
            System.out.printf("fleet of 3: %s count=%d exact p99=%.4g s, native p99=%.4g s (%+.2f%%), "
                            + "classic p99=%.4g s in bucket (%.4g, %.4g] s%n", timer.name(), timer.count(),
                    exactP99Seconds, nativeP99, 100 * (nativeP99 / exactP99Seconds - 1), classicP99, lower,
                    bounds[bucket] / 1e9);
        } finally {
            for (Process process : processes) {
                process.destroy();
            }
            for (Process process : processes) {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** The nanosecond timer with the most values among those that every process logged. */
    private static TimerSnapshot busiestTimerInEveryLog(List<Path> logs, List<TimerSnapshot> merged)
            throws IOException {
        Set<String> everywhere = null;
        for (Path log : logs) {
            Set<String> names = new HashSet<>();
            HistogramLog.read(log).forEach(s -> names.add(s.name()));
            if (everywhere == null) {
                everywhere = names;
            } else {
                everywhere.retainAll(names);
            }
        }
        Set<String> common = everywhere;
        // A sampled timer's log holds the sampled latencies while its Prometheus _count is every call: leave it out.
        Set<String> sampled = sampledTimerNames();
        return merged.stream().filter(s -> common.contains(s.name()) && s.unit() == MetricUnit.NANOSECONDS
                        && !sampled.contains(s.name()))
                .max(java.util.Comparator.comparingLong(TimerSnapshot::count)).orElseThrow();
    }

    /** Names of traffic-core's {@code @Timed(sampleOneIn > 1)} methods, read from the classes themselves. */
    private static Set<String> sampledTimerNames() {
        Set<String> names = new HashSet<>();
        for (Class<?> type : List.of(dev.perfkit.traffic.geo.Geo.class,
                dev.perfkit.traffic.forecast.TrafficForecaster.class)) {
            for (java.lang.reflect.Method method : type.getDeclaredMethods()) {
                dev.perfkit.annotation.Timed timed = method.getAnnotation(dev.perfkit.annotation.Timed.class);
                if (timed != null && timed.sampleOneIn() > 1) {
                    names.add(timed.value());
                }
            }
        }
        assertThat(names).as("sampled timers of traffic-core").contains(TrafficMetrics.GEO_HAVERSINE);
        return names;
    }

    private static String stdout(Path work) {
        try {
            return ChildJvm.read(work, "stdout.txt");
        } catch (IOException e) {
            return "";
        }
    }

    private static List<TimerSnapshot> readLog(Path log) {
        try {
            return Files.exists(log) ? HistogramLog.read(log) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Optional<Double> query(int port, String promql) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode result = JSON.readTree(response.body()).path("data").path("result");
            if (result.size() != 1) {
                return Optional.empty();
            }
            double value = Double.parseDouble(result.get(0).path("value").get(1).asText());
            return Double.isNaN(value) ? Optional.empty() : Optional.of(value);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Polls another process until {@code probe} has a value; fails at the deadline. */
    private static <T> T poll(String what, java.util.function.Supplier<Optional<T>> probe) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(100); // polling other processes; not synchronising this test's own threads
        }
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
    }

    private static Process startPrometheus(Path binary, Path config, Path dataDir, int port, boolean nativeHistograms)
            throws IOException {
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dataDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
        if (nativeHistograms) {
            command.add("--enable-feature=native-histograms");
        }
        return new ProcessBuilder(command).directory(dataDir.toFile())
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("prometheus.log").toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Debian's prometheus; CI installs it, so there its absence fails the test instead of skipping it. */
    private static Path prometheusBinary() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(d -> Path.of(d, "prometheus")).filter(Files::isExecutable).findFirst();
        if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("prometheus is not installed; .ci/run installs the Debian package 'prometheus'");
        }
        assumeTrue(found.isPresent(), "prometheus is not installed here (Debian package 'prometheus')");
        return found.get();
    }
}

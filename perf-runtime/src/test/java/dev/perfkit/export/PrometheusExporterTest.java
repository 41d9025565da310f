package dev.perfkit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.MetricUnit;
import dev.perfkit.PerfConfig;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The direct export against the export of snapshots, on registries recorded into for real. */
class PrometheusExporterTest {

    /** Timers of every kind the snapshot path handles: tags, description, bytes, zeros, errors, sampling, reset. */
    private static PerfRegistry randomRegistry(long seed, PerfConfig config) {
        return randomRegistry(seed, config, 0);
    }

    private static PerfRegistry randomRegistry(long seed, PerfConfig config, int moreTimers) {
        PerfRegistry registry = new PerfRegistry(config);
        SplittableRandom random = new SplittableRandom(seed);
        long highest = config.highestTrackableValue();
        int timers = 3 + random.nextInt(6) + moreTimers;
        for (int t = 0; t < timers; t++) {
            PerfTimer timer = registry.timerBuilder("random.t" + t + (t % 3 == 0 ? ".µs-\"odd\"" : ""))
                    .description(t % 2 == 0 ? "" : "line\nwith \\ backslash")
                    .tags(t % 2 == 0 ? Map.of() : Map.of("region", "hcmc \"q\"", "le", "x", "zone", "a\\b"))
                    .unit(t % 4 == 3 ? MetricUnit.BYTES : MetricUnit.NANOSECONDS).register();
            int values = random.nextInt(3) == 0 ? random.nextInt(3) : random.nextInt(5_000);
            double spread = 1 + random.nextDouble() * 5;
            for (int i = 0; i < values; i++) {
                long v = random.nextInt(50) == 0 ? 0 : (long) (1_000 * Math.exp(spread * random.nextGaussian()));
                if (random.nextInt(200) == 0) {
                    timer.recordError(Math.min(v, highest), random.nextBoolean() ? new IllegalStateException()
                            : new IllegalArgumentException());
                } else {
                    timer.record(v); // some beyond the highest trackable value: clamped
                }
            }
        }
        PerfTimer sampled = registry.timerBuilder("random.sampled").sampleOneIn(8).register();
        for (int i = 0; i < 2_000; i++) {
            if (i % 8 == 0) {
                sampled.record(1_000 + random.nextInt(1_000_000));
            } else {
                sampled.recordUnsampled();
            }
        }
        PerfTimer reset = registry.timer("random.reset");
        for (int i = 0; i < 500; i++) {
            reset.record(random.nextInt(10_000_000));
        }
        reset.reset();
        for (int i = 0; i < 300; i++) {
            reset.record(random.nextInt(20_000_000));
        }
        return registry;
    }

    private static List<PrometheusOptions> optionsFor(PerfConfig config) {
        return List.of(PrometheusOptions.forConfig(config),
                PrometheusOptions.builder().nativeSchema(3).buckets("random.t1", HistogramBuckets.of(1, 10, 100))
                        .build(),
                PrometheusOptions.builder().nativeSchema(-2).latencyBuckets(HistogramBuckets.of(5_000, 1_000_000))
                        .build(),
                PrometheusOptions.builder().nativeSchema(8).build(),
                PrometheusOptions.builder().kind(PrometheusOptions.Kind.SUMMARY).build());
    }

    @Test
    void text_and_protobuf_areTheBytesOfTheSnapshotExports_forRandomRegistries() {
        for (long seed = 0; seed < 12; seed++) {
            PerfConfig config = seed % 3 == 2 ? PerfConfig.builder().numberOfSignificantValueDigits(3).build()
                    : PerfConfig.defaults();
            PerfRegistry registry = randomRegistry(seed, config);
            for (PrometheusOptions options : optionsFor(config)) {
                PrometheusExporter exporter = new PrometheusExporter(registry, options);
                for (int round = 0; round < 2; round++) { // the second from the cached texts and layouts
                    var snapshots = registry.snapshots();
                    assertThat(new String(exporter.text(), StandardCharsets.UTF_8)).as("seed %d", seed)
                            .isEqualTo(PrometheusText.render(snapshots, options));
                    assertThat(exporter.protobuf()).as("seed %d", seed)
                            .isEqualTo(PrometheusProtobuf.render(snapshots, options));
                    registry.timer("random.t0").record(round * 7_000L); // and a timer that changes in between
                }
            }
        }
    }

    @Test
    void manyTimers_exportedInPartsByTwoThreads_areTheBytesOfTheSnapshotExports() {
        PerfRegistry registry = randomRegistry(99, PerfConfig.defaults(), 400);
        boolean multicore = Runtime.getRuntime().availableProcessors() > 1;
        for (PrometheusOptions options : optionsFor(PerfConfig.defaults())) {
            PrometheusExporter exporter = new PrometheusExporter(registry, options);
            int helped = 0;
            for (int round = 0; round < 10; round++) {
                var snapshots = registry.snapshots();
                assertThat(new String(exporter.text(), StandardCharsets.UTF_8)).as("round %d", round)
                        .isEqualTo(PrometheusText.render(snapshots, options));
                helped += exporter.helperParts();
                assertThat(exporter.protobuf()).as("round %d", round)
                        .isEqualTo(PrometheusProtobuf.render(snapshots, options));
                helped += exporter.helperParts();
                registry.timer("random.t" + (round * 37 % 400)).record(round * 7_000L);
            }
            if (multicore && options.kind() == PrometheusOptions.Kind.HISTOGRAM) {
                assertThat(helped).as("parts written by the second thread in 20 exports").isPositive();
            }
        }
    }

    @Test
    @Timeout(60) // an export that waited for a helper the pool never starts would hang here
    void whenTheCommonPoolIsBusy_theCallerExportsEveryPartAlone() throws Exception {
        PerfRegistry registry = randomRegistry(7, PerfConfig.defaults(), 300);
        PrometheusExporter exporter = new PrometheusExporter(registry, PrometheusOptions.defaults());
        int poolThreads = ForkJoinPool.commonPool().getParallelism();
        CountDownLatch busy = new CountDownLatch(poolThreads);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < poolThreads; i++) {
            ForkJoinPool.commonPool().execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertThat(busy.await(10, TimeUnit.SECONDS)).as("every pool thread blocked").isTrue();
            var snapshots = registry.snapshots();
            assertThat(new String(exporter.text(), StandardCharsets.UTF_8))
                    .isEqualTo(PrometheusText.render(snapshots, PrometheusOptions.defaults()));
            assertThat(exporter.helperParts()).isZero();
            assertThat(exporter.protobuf()).isEqualTo(PrometheusProtobuf.render(snapshots, PrometheusOptions.defaults()));
            assertThat(exporter.helperParts()).isZero();
        } finally {
            release.countDown();
        }
        // the helpers queued meanwhile find their exports over and write nothing: the next export is still exact
        var snapshots = registry.snapshots();
        assertThat(new String(exporter.text(), StandardCharsets.UTF_8))
                .isEqualTo(PrometheusText.render(snapshots, PrometheusOptions.defaults()));
    }

    @Test
    void timersCreatedAfterTheFirstExport_areExported() {
        PerfRegistry registry = new PerfRegistry();
        PrometheusExporter exporter = new PrometheusExporter(registry, PrometheusOptions.defaults());
        assertThat(exporter.text()).isEmpty();
        registry.timer("late.one").record(42_000);

        assertThat(new String(exporter.text(), StandardCharsets.UTF_8))
                .isEqualTo(PrometheusText.render(registry.snapshots()));
    }

    private static final Pattern LINE = Pattern.compile("^(\\S+?)(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

    @Test
    void whileAWriterRecords_exportsNeverBlockIt_andCountsNeverGoBackwards() throws Exception {
        PerfRegistry registry = new PerfRegistry();
        PerfTimer[] timers = new PerfTimer[20];
        for (int i = 0; i < timers.length; i++) {
            timers[i] = registry.timer("busy.t" + i);
        }
        PrometheusExporter exporter = new PrometheusExporter(registry, PrometheusOptions.defaults());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong recorded = new AtomicLong();
        Thread writer = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(5);
            while (!stop.get()) {
                timers[random.nextInt(timers.length)].record((long) (1_000 * Math.exp(3 * random.nextGaussian())));
                recorded.incrementAndGet();
            }
        });
        writer.start();
        try {
            Map<String, Double> previous = new HashMap<>();
            long recordedBefore = recorded.get();
            for (int round = 0; round < 200; round++) {
                String text = new String(exporter.text(), StandardCharsets.UTF_8);
                Map<String, Double> now = new HashMap<>();
                Matcher m = LINE.matcher(text);
                String lastBucketSeries = null;
                double lastBucket = 0;
                while (m.find()) {
                    String series = m.group(1);
                    if (series.startsWith("#") || series.endsWith("_max") || series.endsWith("_sum")) {
                        continue;
                    }
                    String key = series + (m.group(2) == null ? "" : m.group(2));
                    double value = Double.parseDouble(m.group(3));
                    now.put(key, value);
                    if (series.endsWith("_bucket")) { // cumulative within one histogram
                        if (series.equals(lastBucketSeries)) {
                            assertThat(value).as(key).isGreaterThanOrEqualTo(lastBucket);
                        }
                        lastBucketSeries = series;
                        lastBucket = value;
                    }
                }
                for (Map.Entry<String, Double> e : now.entrySet()) {
                    assertThat(e.getValue()).as("%s in round %d", e.getKey(), round)
                            .isGreaterThanOrEqualTo(previous.getOrDefault(e.getKey(), 0.0));
                }
                previous = now;
                exporter.protobuf();
            }
            assertThat(recorded.get()).as("the writer went on recording during the exports")
                    .isGreaterThan(recordedBefore);
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(new String(exporter.text(), StandardCharsets.UTF_8))
                .isEqualTo(PrometheusText.render(registry.snapshots()));
    }
}

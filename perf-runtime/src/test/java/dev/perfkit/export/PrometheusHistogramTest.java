package dev.perfkit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.MetricUnit;
import dev.perfkit.PerfConfig;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.TimerSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PrometheusHistogramTest {

    /** HdrHistogram itself, with the registry's default layout: the reference for bucket membership. */
    private static final Histogram REFERENCE = new Histogram(1, PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE,
            PerfConfig.DEFAULT_SIGNIFICANT_DIGITS);

    private static long[] recordLogUniform(PerfTimer timer, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = (long) (500 * Math.exp(random.nextDouble() * Math.log(2e7))); // 0.5 us .. 10 s
            timer.record(values[i]);
        }
        return values;
    }

    private static Map<String, Long> buckets(String text, String family) {
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^" + family + "_bucket\\{(?:[^}]*,)?le=\"([^\"]+)\"} (\\d+)$").matcher(text);
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    @Test
    void render_defaultLatencyBuckets_countWhatHdrHistogramPutsAtOrBelowEachBound() {
        PerfRegistry registry = new PerfRegistry();
        long[] values = recordLogUniform(registry.timer("op.latency"), 20_000, 7);

        String text = PrometheusText.render(registry.snapshots());

        Map<String, Long> buckets = buckets(text, "op_latency_seconds");
        long[] bounds = HistogramBuckets.latencyDefault().upperBounds();
        assertThat(buckets).hasSize(bounds.length + 1);
        List<Long> expected = new ArrayList<>();
        for (long bound : bounds) {
            long n = 0;
            for (long v : values) {
                if (REFERENCE.highestEquivalentValue(v) <= bound) {
                    n++;
                }
            }
            expected.add(n);
        }
        expected.add((long) values.length);
        assertThat(new ArrayList<>(buckets.values())).containsExactlyElementsOf(expected);
        assertThat(buckets).containsKeys("1e-06", "2e-06", "5e-06", "0.001", "1", "2000", "3600", "+Inf");
        assertThat(text).contains("# TYPE op_latency_seconds histogram");
        assertThat(text).containsPattern("(?m)^op_latency_seconds_count 20000$");
        long sum = 0;
        for (long v : values) {
            sum += v;
        }
        Matcher m = Pattern.compile("(?m)^op_latency_seconds_sum (\\S+)$").matcher(text);
        assertThat(m.find()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isCloseTo(sum * 1e-9, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void render_classicBuckets_differFromRawValuesOnlyWithinOneHdrBucketBelowEachBound() {
        PerfRegistry registry = new PerfRegistry();
        long[] values = recordLogUniform(registry.timer("op"), 20_000, 11);

        Map<String, Long> buckets = buckets(PrometheusText.render(registry.snapshots()), "op_seconds");

        long[] bounds = HistogramBuckets.latencyDefault().upperBounds();
        int i = 0;
        for (long bound : bounds) {
            long atOrBelow = 0;
            long withinOneHdrBucket = 0;
            for (long v : values) {
                if (v <= bound) {
                    atOrBelow++;
                    if (v >= REFERENCE.lowestEquivalentValue(bound)) {
                        withinOneHdrBucket++;
                    }
                }
            }
            long published = new ArrayList<>(buckets.values()).get(i++);
            assertThat(published).isBetween(atOrBelow - withinOneHdrBucket, atOrBelow);
        }
    }

    @Test
    void render_byteTimer_usesPowersOfFourInBytes() {
        PerfRegistry registry = new PerfRegistry();
        PerfTimer alloc = registry.timerBuilder("op.alloc").unit(MetricUnit.BYTES).register();
        alloc.record(100);
        alloc.record(5_000);

        Map<String, Long> buckets = buckets(PrometheusText.render(registry.snapshots()), "op_alloc_bytes");

        assertThat(buckets).containsEntry("256", 1L).containsEntry("4096", 1L).containsEntry("16384", 2L)
                .containsEntry("+Inf", 2L);
    }

    @Test
    void render_perTimerBuckets_overrideTheUnitsDefault_andSummaryStaysAvailable() {
        PerfRegistry registry = new PerfRegistry();
        registry.record("custom", 1_500);
        registry.record("custom", 3_000_000);
        registry.record("other", 1_500);
        PrometheusOptions options = PrometheusOptions.builder()
                .buckets("custom", HistogramBuckets.of(2_000, 1_000_000_000)).build();

        String text = PrometheusText.render(registry.snapshots(), options);
        String summary = PrometheusText.render(registry.snapshots(),
                PrometheusOptions.builder().kind(PrometheusOptions.Kind.SUMMARY).build());

        assertThat(buckets(text, "custom_seconds")).containsExactly(Map.entry("2e-06", 1L), Map.entry("1", 2L),
                Map.entry("+Inf", 2L));
        assertThat(buckets(text, "other_seconds")).hasSize(HistogramBuckets.latencyDefault().size() + 1);
        assertThat(summary).contains("# TYPE custom_seconds summary").contains("custom_seconds{quantile=\"0.99\"}")
                .doesNotContain("_bucket");
    }

    @Test
    void renderOpenMetrics_hasUnitCreatedCounterFamiliesAndEof() {
        PerfRegistry registry = new PerfRegistry();
        PerfTimer timer = registry.timer("om.op");
        timer.record(1_900);
        timer.recordError(3_000, new IllegalStateException());
        TimerSnapshot snapshot = registry.snapshots().get(0);

        String text = PrometheusText.renderOpenMetrics(registry.snapshots(), PrometheusOptions.defaults());

        String created = (snapshot.startEpochMillis() / 1000) + "."
                + String.format("%03d", snapshot.startEpochMillis() % 1000);
        assertThat(text).contains("# TYPE om_op_seconds histogram\n# UNIT om_op_seconds seconds\n")
                .contains("om_op_seconds_created " + created + "\n")
                .contains("# TYPE om_op_errors counter\n")
                .contains("om_op_errors_total{exception=\"java.lang.IllegalStateException\"} 1\n")
                .endsWith("# EOF\n");
        assertThat(buckets(text, "om_op_seconds")).containsEntry("2e-06", 1L).containsEntry("5e-06", 2L);
    }

    @Test
    void latency_boundsAreOneTwoFivePerDecadeUpToTheHighestTrackableValue() {
        assertThat(HistogramBuckets.latency(10_000_000).upperBounds())
                .containsExactly(1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000,
                        1_000_000, 2_000_000, 5_000_000, 10_000_000);
        assertThat(HistogramBuckets.latencyDefault().size()).isEqualTo(30);
        assertThat(HistogramBuckets.bytes(1 << 20).upperBounds())
                .containsExactly(256, 1024, 4096, 16384, 65536, 262144, 1 << 20);
    }

    @Test
    void nativeSchemaFor_isTheFinestNoNarrowerThanHdrHistogramsBuckets() {
        assertThat(PrometheusOptions.nativeSchemaFor(1)).isEqualTo(3);
        assertThat(PrometheusOptions.nativeSchemaFor(2)).isEqualTo(6);
        assertThat(PrometheusOptions.nativeSchemaFor(3)).isEqualTo(8);
        assertThat(PrometheusOptions.defaults().nativeSchema()).isEqualTo(6);
    }
}

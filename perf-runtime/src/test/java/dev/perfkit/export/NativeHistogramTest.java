package dev.perfkit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.PerfConfig;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class NativeHistogramTest {

    private static final Histogram REFERENCE = new Histogram(1, PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE,
            PerfConfig.DEFAULT_SIGNIFICANT_DIGITS);

    /** Native bucket index of each raw value, by the defining formula: ceil(log2(seconds) * 2^schema). */
    private static TreeMap<Integer, Long> expected(long[] values, int schema) {
        TreeMap<Integer, Long> out = new TreeMap<>();
        for (long v : values) {
            double seconds = REFERENCE.highestEquivalentValue(v) * 1e-9;
            int k = (int) Math.ceil(Math.log(seconds) / Math.log(2) * Math.pow(2, schema));
            out.merge(k, 1L, Long::sum);
        }
        return out;
    }

    private static long[] record(PerfTimer timer, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = 1 + (long) (1_000 * Math.exp(3 * random.nextGaussian()));
            timer.record(values[i]);
        }
        return values;
    }

    @Test
    void of_putsEveryValueInTheBucketOfItsHdrHistogramValue() {
        PerfRegistry registry = new PerfRegistry();
        long[] values = record(registry.timer("op"), 30_000, 3);

        for (int schema : new int[] {0, 3, 6, 8}) {
            NativeHistogram h = NativeHistogram.of(registry.snapshots().get(0), schema);

            TreeMap<Integer, Long> actual = new TreeMap<>();
            for (int i = 0; i < h.size(); i++) {
                actual.put(h.index(i), h.count(i));
            }
            assertThat(actual).as("schema %d", schema).isEqualTo(expected(values, schema));
            assertThat(h.zeroCount()).isZero();
        }
    }

    @Test
    void of_zeros_goToTheZeroBucket() {
        PerfRegistry registry = new PerfRegistry();
        registry.record("z", 0);
        registry.record("z", 0);
        registry.record("z", 1_000);

        NativeHistogram h = NativeHistogram.of(registry.snapshots().get(0), 6);

        assertThat(h.zeroCount()).isEqualTo(2);
        assertThat(h.size()).isEqualTo(1);
        assertThat(NativeHistogram.upperBound(6, h.index(0))).isGreaterThanOrEqualTo(1e-6);
        assertThat(NativeHistogram.upperBound(6, h.index(0) - 1)).isLessThan(1e-6);
    }

    @Test
    void protobuf_carriesNativeAndClassicBuckets_exactSumAndCount() throws Exception {
        PerfRegistry registry = new PerfRegistry();
        long[] values = record(registry.timer("proto.op"), 5_000, 5);
        registry.timer("proto.op").recordError(2_000, new IllegalArgumentException());
        long[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = 2_000;

        byte[] bytes = PrometheusProtobuf.render(registry.snapshots(), PrometheusOptions.defaults());

        List<Metrics.MetricFamily> families = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        for (Metrics.MetricFamily f = Metrics.MetricFamily.parseDelimitedFrom(in); f != null;
             f = Metrics.MetricFamily.parseDelimitedFrom(in)) {
            families.add(f);
        }
        Metrics.MetricFamily histogram = families.stream().filter(f -> f.getName().equals("proto_op_seconds"))
                .findFirst().orElseThrow();
        assertThat(histogram.getType()).isEqualTo(Metrics.MetricType.HISTOGRAM);
        Metrics.Histogram h = histogram.getMetric(0).getHistogram();
        long sum = 0;
        for (long v : all) {
            sum += v;
        }
        assertThat(h.getSampleCount()).isEqualTo(all.length);
        assertThat(h.getSampleSum()).isCloseTo(sum * 1e-9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.getSchema()).isEqualTo(6);
        assertThat(h.getBucketCount()).isEqualTo(HistogramBuckets.latencyDefault().size() + 1);
        // decode spans and deltas back into absolute buckets
        TreeMap<Integer, Long> decoded = new TreeMap<>();
        int index = 0;
        long count = 0;
        int delta = 0;
        for (Metrics.BucketSpan span : h.getPositiveSpanList()) {
            index += span.getOffset();
            for (int i = 0; i < span.getLength(); i++) {
                count += h.getPositiveDelta(delta++);
                decoded.put(index++, count);
            }
        }
        decoded.values().removeIf(c -> c == 0);
        assertThat(decoded).isEqualTo(expected(all, 6));
        assertThat(families).extracting(Metrics.MetricFamily::getName)
                .contains("proto_op_seconds_max", "proto_op_errors_total");
    }
}

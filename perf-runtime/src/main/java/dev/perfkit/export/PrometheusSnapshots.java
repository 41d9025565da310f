package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Timer snapshots as the Prometheus Java client's data model ({@code io.prometheus:prometheus-metrics-model}), for its
 * exposition writers and for registries built on it (such as Micrometer's {@code PrometheusMeterRegistry}).
 *
 * <p>The same families as {@link PrometheusText}: per timer a histogram {@code a_b_seconds} (or {@code a_b_bytes})
 * carrying both the classic buckets of {@link PrometheusOptions} and the native buckets of {@link NativeHistogram} at
 * the options' schema (zero threshold 0), with the exact count and the snapshot's total as sum (exact, but for a
 * sampled timer the sampled mean times the count); a gauge {@code a_b_seconds_max}; a counter
 * {@code a_b_errors} by exception class. Everything is computed from the snapshots' HdrHistogram buckets.
 *
 * <p>Needs {@code io.prometheus:prometheus-metrics-model} on the class path, an optional dependency of perf-runtime:
 * only this class and the Micrometer bridge use it, and the rest of perf-runtime loads and works without it
 * ({@link PrometheusProtobuf} encodes the same families itself). Stateless and thread-safe.
 */
public final class PrometheusSnapshots {

    private PrometheusSnapshots() {
    }

    /** The model of cumulative {@code snapshots}, in the given order. */
    public static MetricSnapshots of(List<TimerSnapshot> snapshots, PrometheusOptions options) {
        List<MetricSnapshot> families = new ArrayList<>(snapshots.size() * 3);
        for (TimerSnapshot s : snapshots) {
            addTimer(families, s, options, true);
        }
        return new MetricSnapshots(families);
    }

    /**
     * Only the histogram (or summary) family of each snapshot, without the max gauges and error counters: for a
     * registry that publishes those already.
     */
    public static MetricSnapshots distributionsOf(List<TimerSnapshot> snapshots, PrometheusOptions options) {
        List<MetricSnapshot> families = new ArrayList<>(snapshots.size());
        for (TimerSnapshot s : snapshots) {
            addTimer(families, s, options, false);
        }
        return new MetricSnapshots(families);
    }

    private static void addTimer(List<MetricSnapshot> families, TimerSnapshot s, PrometheusOptions options,
                                 boolean all) {
        boolean bytes = s.unit() == MetricUnit.BYTES;
        double scale = bytes ? 1.0 : 1e-9;
        String name = PrometheusText.sanitizeName(s.name());
        String base = name + (bytes ? "_bytes" : "_seconds");
        String help = s.id().description().isEmpty() ? s.name() : s.name() + ": " + s.id().description();
        Labels labels = labels(s.id().tags());
        long created = s.startEpochMillis();
        double sum = s.total() * scale;

        if (options.kind() == PrometheusOptions.Kind.HISTOGRAM) {
            HistogramBuckets buckets = options.bucketsFor(s);
            long[] cumulative = buckets.cumulativeCounts(s);
            double[] bounds = new double[cumulative.length + 1];
            long[] counts = new long[cumulative.length + 1];
            long previous = 0;
            for (int i = 0; i < cumulative.length; i++) {
                bounds[i] = bytes ? buckets.upperBound(i) : buckets.upperBound(i) / 1e9;
                counts[i] = cumulative[i] - previous;
                previous = cumulative[i];
            }
            bounds[cumulative.length] = Double.POSITIVE_INFINITY;
            counts[cumulative.length] = s.count() - previous;
            NativeHistogram nativeHistogram = NativeHistogram.of(s, options.nativeSchema());
            families.add(new HistogramSnapshot(new MetricMetadata(base, help),
                    List.of(new HistogramSnapshot.HistogramDataPointSnapshot(
                            ClassicHistogramBuckets.of(bounds, counts), nativeHistogram.schema(),
                            nativeHistogram.zeroCount(), 0.0,
                            NativeHistogramBuckets.of(nativeHistogram.indexes(), nativeHistogram.counts()),
                            NativeHistogramBuckets.EMPTY, sum, labels, Exemplars.EMPTY, created))));
        } else {
            families.add(new SummarySnapshot(new MetricMetadata(base, help),
                    List.of(new SummarySnapshot.SummaryDataPointSnapshot(s.count(), sum, Quantiles.of(
                            new Quantile(0.5, s.p50() * scale), new Quantile(0.9, s.p90() * scale),
                            new Quantile(0.99, s.p99() * scale), new Quantile(0.999, s.p999() * scale)),
                            labels, Exemplars.EMPTY, created))));
        }
        if (!all) {
            return;
        }
        families.add(new GaugeSnapshot(new MetricMetadata(base + "_max", "maximum of " + s.name()),
                List.of(new GaugeSnapshot.GaugeDataPointSnapshot(s.max() * scale, labels, null))));
        List<CounterSnapshot.CounterDataPointSnapshot> errors = new ArrayList<>();
        Map<String, Long> byType = s.errorsByType();
        if (byType.isEmpty()) {
            errors.add(new CounterSnapshot.CounterDataPointSnapshot(0, labels, null, created));
        } else {
            for (Map.Entry<String, Long> e : new TreeMap<>(byType).entrySet()) {
                errors.add(new CounterSnapshot.CounterDataPointSnapshot(e.getValue(),
                        labels.add("exception", e.getKey()), null, created));
            }
        }
        families.add(new CounterSnapshot(new MetricMetadata(name + "_errors",
                "calls of " + s.name() + " that threw, by exception class"), errors));
    }

    private static Labels labels(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return Labels.EMPTY;
        }
        Labels.Builder builder = Labels.builder();
        tags.forEach((key, value) -> builder.label(PrometheusText.labelName(key), value));
        return builder.build();
    }
}

package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.PerfConfig;
import dev.perfkit.TimerSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How timers are exposed to Prometheus: as histograms (the default: classic {@code _bucket} series, and native buckets
 * in the protobuf format) or as summaries (quantiles since start, which cannot be aggregated across instances), with
 * which classic buckets, per registry and per timer. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <p><b>Native histograms.</b> A native bucket of schema {@code s} covers {@code (2^((k-1)/2^s), 2^(k/2^s)]} seconds
 * (or bytes). {@link #nativeSchemaFor(int)} picks the finest schema whose buckets are no narrower than HdrHistogram's
 * at the registry's precision: schema 6 (1.09% wide) at 2 significant digits, 9 is capped to Prometheus's maximum 8 at
 * 3 digits, 3 at 1 digit. A quantile of a native histogram is then within one native bucket plus one HdrHistogram
 * bucket of the exact value: 1.09% + 0.78% at 2 digits.
 */
public final class PrometheusOptions {

    /** What a timer becomes in the exposition. */
    public enum Kind {
        /** Classic (and, in protobuf, native) histogram: aggregates across instances. The default. */
        HISTOGRAM,
        /** Summary with quantiles 0.5, 0.9, 0.99, 0.999 since start; only {@code _sum} and {@code _count} aggregate. */
        SUMMARY
    }

    private static final PrometheusOptions DEFAULTS = builder().build();

    private final Kind kind;
    private final HistogramBuckets latencyBuckets;
    private final HistogramBuckets byteBuckets;
    private final Map<String, HistogramBuckets> perTimer;
    private final int nativeSchema;

    private PrometheusOptions(Builder b) {
        this.kind = b.kind;
        this.latencyBuckets = b.latencyBuckets;
        this.byteBuckets = b.byteBuckets;
        this.perTimer = Map.copyOf(b.perTimer);
        this.nativeSchema = b.nativeSchema;
    }

    /** Histograms with the default buckets and native schema 6, for a registry with {@link PerfConfig#defaults()}. */
    public static PrometheusOptions defaults() {
        return DEFAULTS;
    }

    /** Defaults for a registry with {@code config}: buckets up to its highest trackable value, schema for its digits. */
    public static PrometheusOptions forConfig(PerfConfig config) {
        return builder().latencyBuckets(HistogramBuckets.latency(config.highestTrackableValue()))
                .byteBuckets(HistogramBuckets.bytes(config.highestTrackableValue()))
                .nativeSchema(nativeSchemaFor(config.numberOfSignificantValueDigits())).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The finest native-histogram schema (-4 to 8) whose relative bucket width {@code 2^(2^-s) - 1} is at least
     * HdrHistogram's worst relative bucket width at {@code significantDigits}.
     */
    public static int nativeSchemaFor(int significantDigits) {
        long largestSingleUnit = 2 * (long) Math.pow(10, significantDigits);
        int subBucketCountMagnitude = (int) Math.ceil(Math.log(largestSingleUnit) / Math.log(2));
        double hdrWidth = 1.0 / (1L << (subBucketCountMagnitude - 1));
        int schema = 8;
        while (schema > -4 && Math.pow(2, Math.pow(2, -schema)) - 1 < hdrWidth) {
            schema--;
        }
        return schema;
    }

    public Kind kind() {
        return kind;
    }

    public int nativeSchema() {
        return nativeSchema;
    }

    /** The classic buckets of {@code snapshot}'s timer: its own if set, else those of its unit. */
    public HistogramBuckets bucketsFor(TimerSnapshot snapshot) {
        HistogramBuckets own = perTimer.get(snapshot.name());
        if (own != null) {
            return own;
        }
        return snapshot.unit() == MetricUnit.BYTES ? byteBuckets : latencyBuckets;
    }

    /** The classic buckets of the timer {@code timerName} of {@code unit}: its own if set, else those of its unit. */
    HistogramBuckets bucketsFor(String timerName, MetricUnit unit) {
        HistogramBuckets own = perTimer.get(timerName);
        if (own != null) {
            return own;
        }
        return unit == MetricUnit.BYTES ? byteBuckets : latencyBuckets;
    }

    /** Builder of {@link PrometheusOptions}. Not thread-safe. */
    public static final class Builder {
        private Kind kind = Kind.HISTOGRAM;
        private HistogramBuckets latencyBuckets = HistogramBuckets.latencyDefault();
        private HistogramBuckets byteBuckets = HistogramBuckets.bytesDefault();
        private final Map<String, HistogramBuckets> perTimer = new HashMap<>();
        private int nativeSchema = nativeSchemaFor(PerfConfig.DEFAULT_SIGNIFICANT_DIGITS);

        private Builder() {
        }

        /** Histogram (default) or summary. */
        public Builder kind(Kind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /** Classic buckets of latency (and CPU) timers, bounds in nanoseconds. */
        public Builder latencyBuckets(HistogramBuckets buckets) {
            this.latencyBuckets = Objects.requireNonNull(buckets, "buckets");
            return this;
        }

        /** Classic buckets of allocation timers, bounds in bytes. */
        public Builder byteBuckets(HistogramBuckets buckets) {
            this.byteBuckets = Objects.requireNonNull(buckets, "buckets");
            return this;
        }

        /** Classic buckets of the one timer {@code timerName}, bounds in its unit. */
        public Builder buckets(String timerName, HistogramBuckets buckets) {
            perTimer.put(Objects.requireNonNull(timerName, "timerName"), Objects.requireNonNull(buckets, "buckets"));
            return this;
        }

        /**
         * Schema of native histograms, -4 to 8.
         *
         * @throws IllegalArgumentException if out of range
         */
        public Builder nativeSchema(int schema) {
            if (schema < -4 || schema > 8) {
                throw new IllegalArgumentException("native schema must be -4 to 8, was " + schema);
            }
            this.nativeSchema = schema;
            return this;
        }

        public PrometheusOptions build() {
            return new PrometheusOptions(this);
        }
    }
}

package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.PerfConfig;
import dev.perfkit.TimerSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The upper bounds of the classic (fixed-boundary) histogram buckets that exports publish, in the timer's unit
 * (nanoseconds or bytes), plus the implicit {@code +Inf} bucket.
 *
 * <p><b>Defaults.</b> Latencies: {@link #latency(long)} gives 1-2-5 steps per decade from 1 us up to the highest
 * trackable value (1 us, 2 us, 5 us, 10 us, ... 1000 s, 2000 s for the default hour, then the hour itself: 30 bounds
 * plus {@code +Inf}). Bytes: {@link #bytes(long)} gives powers of 4 from 256 B (256 B, 1 KiB, 4 KiB, ... 1 GiB, and on
 * up to the highest trackable value).
 *
 * <p><b>Accuracy.</b> The counts are computed from the snapshot's own HdrHistogram buckets, never by recording twice:
 * an HdrHistogram bucket counts toward {@code le=B} when its highest value is at most {@code B}. A value lands in the
 * wrong classic bucket only when it lies within one HdrHistogram bucket (1% at 2 significant digits) below a bound. A
 * quantile estimated from the classic buckets ({@code histogram_quantile} over {@code _bucket}) lies in the same
 * classic bucket as the exact one: off by at most that bucket's width, a factor of 2 or 2.5 with the 1-2-5 default.
 *
 * <p>Immutable and thread-safe.
 */
public final class HistogramBuckets {

    private static final long MICROSECOND_NANOS = 1_000;

    private final long[] upperBounds;
    private final String[] secondsLabels;
    private final String[] unitLabels;

    private HistogramBuckets(long[] upperBounds) {
        this.upperBounds = upperBounds;
        this.secondsLabels = new String[upperBounds.length];
        this.unitLabels = new String[upperBounds.length];
        for (int i = 0; i < upperBounds.length; i++) {
            secondsLabels[i] = PrometheusText.number(upperBounds[i] / 1e9);
            unitLabels[i] = PrometheusText.number(upperBounds[i]);
        }
    }

    /**
     * Buckets with the given upper bounds, in the timer's unit.
     *
     * @throws IllegalArgumentException if there is none, or they are not positive and strictly increasing
     */
    public static HistogramBuckets of(long... upperBounds) {
        if (upperBounds.length == 0) {
            throw new IllegalArgumentException("at least one bucket bound is needed");
        }
        for (int i = 0; i < upperBounds.length; i++) {
            if (upperBounds[i] <= 0 || (i > 0 && upperBounds[i] <= upperBounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must be positive and increasing: "
                        + Arrays.toString(upperBounds));
            }
        }
        return new HistogramBuckets(upperBounds.clone());
    }

    /** The default latency buckets for the default highest trackable value (one hour). */
    public static HistogramBuckets latencyDefault() {
        return Defaults.LATENCY;
    }

    /** The default byte buckets for the default highest trackable value. */
    public static HistogramBuckets bytesDefault() {
        return Defaults.BYTES;
    }

    /**
     * 1-2-5 steps per decade from 1 us to {@code highestTrackableNanos} (which is the last bound).
     *
     * @throws IllegalArgumentException if {@code highestTrackableNanos} is below 1 us
     */
    public static HistogramBuckets latency(long highestTrackableNanos) {
        if (highestTrackableNanos < MICROSECOND_NANOS) {
            throw new IllegalArgumentException("highest trackable value must be at least 1 us, was "
                    + highestTrackableNanos + " ns");
        }
        List<Long> bounds = new ArrayList<>();
        for (long decade = MICROSECOND_NANOS; decade > 0 && decade <= highestTrackableNanos; decade *= 10) {
            for (long step : new long[] {1, 2, 5}) {
                if (decade > Long.MAX_VALUE / step) {
                    break;
                }
                long bound = decade * step;
                if (bound < highestTrackableNanos) {
                    bounds.add(bound);
                }
            }
            if (decade > Long.MAX_VALUE / 10) {
                break;
            }
        }
        bounds.add(highestTrackableNanos);
        return new HistogramBuckets(bounds.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Powers of 4 from 256 B to {@code highestTrackableBytes} (which is the last bound).
     *
     * @throws IllegalArgumentException if {@code highestTrackableBytes} is below 256
     */
    public static HistogramBuckets bytes(long highestTrackableBytes) {
        if (highestTrackableBytes < 256) {
            throw new IllegalArgumentException("highest trackable value must be at least 256 B, was "
                    + highestTrackableBytes);
        }
        List<Long> bounds = new ArrayList<>();
        for (long bound = 256; bound < highestTrackableBytes && bound > 0; bound <<= 2) {
            bounds.add(bound);
            if (bound > Long.MAX_VALUE >> 2) {
                break;
            }
        }
        bounds.add(highestTrackableBytes);
        return new HistogramBuckets(bounds.stream().mapToLong(Long::longValue).toArray());
    }

    /** The default buckets for a timer of {@code unit}: {@link #latencyDefault()} or {@link #bytesDefault()}. */
    public static HistogramBuckets defaultFor(MetricUnit unit) {
        return unit == MetricUnit.BYTES ? bytesDefault() : latencyDefault();
    }

    /** Number of finite bounds (the {@code +Inf} bucket is not counted). */
    public int size() {
        return upperBounds.length;
    }

    /** The {@code i}-th upper bound, in the timer's unit. */
    public long upperBound(int i) {
        return upperBounds[i];
    }

    /** The upper bounds, in the timer's unit (a copy). */
    public long[] upperBounds() {
        return upperBounds.clone();
    }

    /** The {@code le} label of the {@code i}-th bound: seconds for latency, the plain value for bytes. */
    String label(int i, boolean seconds) {
        return seconds ? secondsLabels[i] : unitLabels[i];
    }

    /**
     * Cumulative counts of {@code snapshot} at each bound ({@code result[i]} values at most {@code upperBound(i)}); the
     * {@code +Inf} bucket is {@code snapshot.count()}.
     */
    public long[] cumulativeCounts(TimerSnapshot snapshot) {
        long[] cumulative = new long[upperBounds.length];
        long[] running = {0};
        int[] bucket = {0};
        snapshot.forEachBucket((lowest, highest, count) -> {
            while (bucket[0] < upperBounds.length && highest > upperBounds[bucket[0]]) {
                cumulative[bucket[0]++] = running[0];
            }
            running[0] += count;
        });
        while (bucket[0] < upperBounds.length) {
            cumulative[bucket[0]++] = running[0];
        }
        return cumulative;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramBuckets other && Arrays.equals(upperBounds, other.upperBounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(upperBounds);
    }

    @Override
    public String toString() {
        return "HistogramBuckets" + Arrays.toString(upperBounds);
    }

    /** Built on first use, after {@link PrometheusText}'s number format is ready. */
    private static final class Defaults {
        static final HistogramBuckets LATENCY = latency(PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE);
        static final HistogramBuckets BYTES = bytes(PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE);
    }
}

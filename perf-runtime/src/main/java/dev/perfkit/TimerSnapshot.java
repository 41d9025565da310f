package dev.perfkit;

import dev.perfkit.internal.SparseCounts;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * An immutable view of one timer over a span of time: since creation or the last {@link PerfRegistry#reset()}
 * (cumulative) or since the previous interval read (interval).
 *
 * <p>Values are in {@link #unit()}: nanoseconds for latency and CPU timers, bytes for allocation timers. Percentiles,
 * min and max follow HdrHistogram's definitions and carry its precision (the highest value equivalent to the recorded
 * one at the configured significant digits); {@link #total()} and {@link #mean()} are exact sums of the recorded
 * (clamped) values. Errors are calls that ended in an exception, or a {@code CompletionStage} that completed
 * exceptionally; they are included in {@link #count()} and in the histogram.
 *
 * <p><b>Sampled timers</b> ({@link #sampleOneIn()} above 1, see {@link dev.perfkit.annotation.Timed#sampleOneIn()}):
 * {@link #count()} and {@link #errors()} stay exact, every call counted; the histogram, percentiles, min and max hold
 * the {@link #sampledCount()} sampled latencies, each call chosen at random independently of its latency;
 * {@link #mean()} is the mean of the sampled latencies and {@link #total()} that mean times {@link #count()}, an
 * estimate. For an unsampled timer {@code sampledCount() == count()} and the total is exact.
 *
 * <p>A snapshot keeps only the non-empty buckets; {@link #histogram()} rebuilds the full HdrHistogram on demand, so
 * reading many timers stays cheap. Thread-safe.
 */
public final class TimerSnapshot {

    /** The percentiles every snapshot computes, in increasing order (p50, p90, p99, p99.9). */
    private static final double[] STANDARD_PERCENTILES = {50.0, 90.0, 99.0, 99.9};

    private final TimerId id;
    private final long startEpochMillis;
    private final long endEpochMillis;
    private final long count;
    private final long sampledCount;
    private final int sampleOneIn;
    private final long sampledTotal;
    private final long errors;
    private final Map<String, Long> errorsByType;
    private final long clamped;
    private final long total;
    private final long min;
    private final long max;
    private final long p50;
    private final long p90;
    private final long p99;
    private final long p999;
    private final SparseCounts sparse;
    private final Histogram histogram;

    private TimerSnapshot(TimerId id, long startEpochMillis, long endEpochMillis, long unsampled, int sampleOneIn, long errors,
                          Map<String, Long> errorsByType, long clamped, long sampledTotal,
                          SparseCounts sparse, Histogram histogram) {
        this.id = Objects.requireNonNull(id, "id");
        this.startEpochMillis = startEpochMillis;
        this.endEpochMillis = endEpochMillis;
        this.errors = errors;
        this.errorsByType = Map.copyOf(errorsByType);
        this.clamped = clamped;
        this.sampleOneIn = sampleOneIn;
        this.sampledTotal = sampledTotal;
        this.sparse = sparse;
        this.histogram = histogram;
        if (sparse != null) {
            this.sampledCount = sparse.totalCount();
            this.min = sparse.min();
            this.max = sparse.max();
        } else {
            this.sampledCount = histogram.getTotalCount();
            this.min = sampledCount == 0 ? 0 : histogram.getMinValue();
            this.max = sampledCount == 0 ? 0 : histogram.getMaxValue();
        }
        this.count = sampledCount + unsampled;
        this.total = unsampled == 0 ? sampledTotal
                : sampledCount == 0 ? 0 : Math.round((double) sampledTotal / sampledCount * count);
        if (sparse != null) {
            long[] values = new long[STANDARD_PERCENTILES.length];
            sparse.valuesAtPercentiles(STANDARD_PERCENTILES, values);
            this.p50 = values[0];
            this.p90 = values[1];
            this.p99 = values[2];
            this.p999 = values[3];
        } else {
            this.p50 = valueAtPercentile(50.0);
            this.p90 = valueAtPercentile(90.0);
            this.p99 = valueAtPercentile(99.0);
            this.p999 = valueAtPercentile(99.9);
        }
    }

    static TimerSnapshot of(PerfTimer timer, SparseCounts counts, long startEpochMillis, long endEpochMillis,
                            long total, long unsampled, long errors, Map<String, Long> errorsByType,
                            long clamped) {
        return new TimerSnapshot(timer.id(), startEpochMillis, endEpochMillis, unsampled, timer.sampleOneIn(), errors,
                errorsByType, clamped, total, counts, null);
    }

    /**
     * A snapshot of a histogram that was not recorded by a {@link PerfTimer} here, e.g. one read back from an
     * HdrHistogram log. The histogram is copied.
     *
     * @param total  exact sum of the values if known; otherwise an estimate such as {@code mean * count}
     * @param target p99 target in {@code unit}, 0 for none
     */
    public static TimerSnapshot ofHistogram(String name, MetricUnit unit, long target, Histogram histogram,
                                            long total) {
        return ofHistogram(name, unit, target, histogram, total, Map.of());
    }

    /**
     * As {@link #ofHistogram(String, MetricUnit, long, Histogram, long)}, with the errors by exception class name that
     * are part of the histogram's count; {@link #errors()} is their sum.
     *
     * @throws IllegalArgumentException if an error count is negative
     */
    public static TimerSnapshot ofHistogram(String name, MetricUnit unit, long target, Histogram histogram,
                                            long total, Map<String, Long> errorsByType) {
        long errors = 0;
        for (long n : errorsByType.values()) {
            if (n < 0) {
                throw new IllegalArgumentException("error counts must not be negative: " + errorsByType);
            }
            errors += n;
        }
        return new TimerSnapshot(new TimerId(name, "", Map.of(), unit, target), histogram.getStartTimeStamp(),
                histogram.getEndTimeStamp(), 0, 1, errors, errorsByType, 0, total, null, histogram.copy());
    }

    /** The timer's name, description, tags, unit and target. */
    public TimerId id() {
        return id;
    }

    /** {@code id().name()}. */
    public String name() {
        return id.name();
    }

    /** {@code id().unit()}: the unit of every value of this snapshot. */
    public MetricUnit unit() {
        return id.unit();
    }

    /** Wall-clock start of the span (creation, reset or previous interval read), epoch milliseconds. */
    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** Wall-clock time the snapshot was taken, epoch milliseconds. */
    public long endEpochMillis() {
        return endEpochMillis;
    }

    /** Number of recorded values: for a sampled timer, every call, sampled or not (exact). */
    public long count() {
        return count;
    }

    /** Number of values in the histogram: {@link #count()} for an unsampled timer, the sampled calls otherwise. */
    public long sampledCount() {
        return sampledCount;
    }

    /** One call in how many had its latency recorded: 1 for an unsampled timer, else a power of two. */
    public int sampleOneIn() {
        return sampleOneIn;
    }

    /** Whether latencies were sampled ({@link #sampleOneIn()} above 1). */
    public boolean isSampled() {
        return sampleOneIn > 1;
    }

    /** How many of them ended in an exception. */
    public long errors() {
        return errors;
    }

    /** Errors per exception class name. */
    public Map<String, Long> errorsByType() {
        return errorsByType;
    }

    /** Values that were outside {@code [0, highestTrackableValue]} and were clamped into it. */
    public long clamped() {
        return clamped;
    }

    /**
     * Sum of the recorded values: exact for an unsampled timer; for a sampled one, {@link #mean()} times
     * {@link #count()}, rounded (an estimate).
     */
    public long total() {
        return total;
    }

    /** Mean of the values in the histogram (for a sampled timer, of the sampled latencies); 0 when empty. */
    public double mean() {
        return sampledCount == 0 ? 0.0 : (double) sampledTotal / sampledCount;
    }

    /** Smallest recorded value (histogram precision), 0 when empty. */
    public long min() {
        return min;
    }

    /** Largest recorded value (histogram precision), 0 when empty. */
    public long max() {
        return max;
    }

    /** Median. */
    public long p50() {
        return p50;
    }

    /** 90th percentile. */
    public long p90() {
        return p90;
    }

    /** 99th percentile. */
    public long p99() {
        return p99;
    }

    /** 99.9th percentile. */
    public long p999() {
        return p999;
    }

    /** {@link TargetStatus#MET} when {@code p99 <= target}; see {@link TargetStatus} for the other cases. */
    public TargetStatus targetStatus() {
        if (!id.hasTarget()) {
            return TargetStatus.NO_TARGET;
        }
        if (sampledCount == 0) {
            return TargetStatus.NO_DATA;
        }
        return p99 <= id.target() ? TargetStatus.MET : TargetStatus.MISSED;
    }

    /** Value at any percentile in {@code [0, 100]}, as HdrHistogram's {@code getValueAtPercentile}. */
    public long valueAtPercentile(double percentile) {
        return sparse != null ? sparse.valueAtPercentile(percentile) : histogram.getValueAtPercentile(percentile);
    }

    /**
     * Visits the non-empty buckets of the histogram in increasing value order: each bucket is one HdrHistogram slot,
     * whose values are equivalent at the histogram's precision. Costs one call per non-empty bucket and allocates
     * nothing for snapshots of {@link PerfTimer}s, so exporters can derive their own bucket layouts from it cheaply.
     * For a sampled timer the counts are the sampled latencies' scaled to {@link #count()} (estimates that add up to
     * the exact count), so that exported buckets agree with the exported count.
     */
    public void forEachBucket(BucketVisitor visitor) {
        long sampled = sampledCount();
        long all = count();
        if (sampled > 0 && sampled < all) {
            forEachScaledBucket(visitor, sampled, all);
            return;
        }
        forEachRecordedBucket(visitor);
    }

    /**
     * A sampled timer's buckets scaled from its sampled latencies to its exact call count, so that an export's buckets
     * add up to its {@code _count}: cumulative counts are scaled and rounded down, the last one is the exact count.
     */
    private void forEachScaledBucket(BucketVisitor visitor, long sampled, long all) {
        long[] running = new long[2]; // {sampled so far, scaled so far}
        double factor = (double) all / sampled;
        forEachRecordedBucket((lowest, highest, n) -> {
            running[0] += n;
            long scaled = running[0] == sampled ? all : Math.min(all, (long) Math.floor(running[0] * factor));
            long bucket = scaled - running[1];
            running[1] = scaled;
            if (bucket > 0) {
                visitor.bucket(lowest, highest, bucket);
            }
        });
    }

    private void forEachRecordedBucket(BucketVisitor visitor) {
        if (sparse != null) {
            for (int i = 0, n = sparse.size(); i < n; i++) {
                visitor.bucket(sparse.lowestValue(i), sparse.highestValue(i), sparse.count(i));
            }
            return;
        }
        for (HistogramIterationValue v : histogram.recordedValues()) {
            long value = v.getValueIteratedTo();
            visitor.bucket(histogram.lowestEquivalentValue(value), histogram.highestEquivalentValue(value),
                    v.getCountAtValueIteratedTo());
        }
    }

    /** Receives the buckets of {@link #forEachBucket(BucketVisitor)}. */
    @FunctionalInterface
    public interface BucketVisitor {
        /**
         * One non-empty bucket.
         *
         * @param lowestValue  smallest value of the bucket, in the snapshot's unit
         * @param highestValue largest value of the bucket (HdrHistogram's highest equivalent value), in the unit
         * @param count        how many recorded values fell into it, at least 1
         */
        void bucket(long lowestValue, long highestValue, long count);
    }

    /**
     * A new HdrHistogram holding this snapshot's values (lowest discernible value 1, the registry's highest trackable
     * value and significant digits), with start and end timestamps and the tag set to the name.
     */
    public Histogram histogram() {
        Histogram copy = sparse != null ? sparse.toHistogram() : histogram.copy();
        copy.setStartTimeStamp(startEpochMillis);
        copy.setEndTimeStamp(endEpochMillis);
        copy.setTag(id.name());
        return copy;
    }

    @Override
    public String toString() {
        return "TimerSnapshot[" + id.name() + ": count=" + count + (isSampled() ? " (latency of " + sampledCount
                + ", sampled 1 in " + sampleOneIn + ")" : "") + ", errors=" + errors + ", p50=" + p50 + ", p99=" + p99
                + ", max=" + max + " " + id.unit().label() + ", target=" + id.target() + " " + targetStatus().label() + "]";
    }
}

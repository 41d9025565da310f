package dev.perfkit;

import dev.perfkit.internal.ProjectedCounts;
import java.util.Map;

/**
 * One timer's cumulative totals (since creation or {@link PerfRegistry#reset()}) read into one or two
 * {@link BucketLayout}s by {@link PerfTimer#readBuckets(BucketLayout, BucketLayout, BucketReading)}: the non-empty
 * buckets, with the same count, total, max, errors and start as the timer's {@link TimerSnapshot}, which an export
 * needs and nothing more (no percentiles, no per-slot counts). Values are in the timer's unit.
 *
 * <p>Reusable: each read replaces the content, and a warm reading allocates nothing but the errors map of a timer that
 * has errors. Not thread-safe: one per reader.
 */
public final class BucketReading {

    final Buckets first = new Buckets();
    final Buckets second = new Buckets();
    final long[] scratch;
    long count;
    long total;
    long max;
    long startEpochMillis;
    Map<String, Long> errorsByType = Map.of();

    /** An empty reading for timers of {@code registry}. */
    public BucketReading(PerfRegistry registry) {
        this.scratch = new long[registry.layout().chunkLength() + 1];
    }

    /** The non-empty buckets of the first layout. */
    public Buckets first() {
        return first;
    }

    /** The non-empty buckets of the second layout; empty when none was given. */
    public Buckets second() {
        return second;
    }

    /** As {@link TimerSnapshot#count()}: every recorded value (exact, also for a sampled timer). */
    public long count() {
        return count;
    }

    /** As {@link TimerSnapshot#total()}: the sum of the values (an estimate for a sampled timer). */
    public long total() {
        return total;
    }

    /** As {@link TimerSnapshot#max()}: the largest value at histogram precision, 0 when empty. */
    public long max() {
        return max;
    }

    /** As {@link TimerSnapshot#startEpochMillis()}: creation or the last reset, epoch milliseconds. */
    public long startEpochMillis() {
        return startEpochMillis;
    }

    /** As {@link TimerSnapshot#errorsByType()}: errors per exception class name, none of them 0 (unmodifiable). */
    public Map<String, Long> errorsByType() {
        return errorsByType;
    }

    /**
     * Non-empty buckets of one layout, in increasing bucket order. For a sampled timer the counts are scaled to
     * {@link BucketReading#count()} as {@link TimerSnapshot#forEachBucket} scales them.
     */
    public static final class Buckets {
        final ProjectedCounts counts = new ProjectedCounts();

        Buckets() {
        }

        /** Number of non-empty buckets. */
        public int size() {
            return counts.size();
        }

        /** Bucket number (of the layout) of the {@code i}-th non-empty bucket, {@code 0 <= i < size()}. */
        public int bucket(int i) {
            return counts.bucket(i);
        }

        /** Count of the {@code i}-th non-empty bucket, at least 1. */
        public long count(int i) {
            return counts.count(i);
        }

        /** The lowest non-empty bucket number, -1 when there is none. */
        public int lowest() {
            return counts.lowest();
        }

        /** The highest non-empty bucket number, -1 when there is none. */
        public int highest() {
            return counts.highest();
        }

        /**
         * Count of bucket number {@code bucket} (0 when it is empty or outside {@code lowest() .. highest()}): with
         * {@link #lowest()} and {@link #highest()}, the buckets read densely, without listing the non-empty ones.
         */
        public long countOf(int bucket) {
            return counts.countOf(bucket);
        }

        /**
         * Copies the counts of buckets {@code from .. to - 1} (empty ones as 0) into {@code into[0 .. to - from - 1]}.
         *
         * @throws IndexOutOfBoundsException if {@code into} is too short or {@code from} is negative
         */
        public void copyCounts(int from, int to, long[] into) {
            counts.copyCounts(from, to, into);
        }
    }
}

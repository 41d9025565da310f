package dev.perfkit;

import dev.perfkit.internal.SlotProjection;
import java.util.function.LongToIntFunction;

/**
 * An exporter's bucket layout (classic boundaries, native-histogram indexes, ...) over the histogram slots of one
 * registry, computed once by {@link PerfRegistry#bucketLayout(LongToIntFunction)} so that
 * {@link PerfTimer#readBuckets(BucketLayout, BucketLayout, BucketReading)} can add each slot's count straight into
 * its bucket. Buckets are numbered {@code 0 .. bucketCount() - 1} in increasing value order.
 *
 * <p>Memory: one {@code int} per slot of the registry's layout (about 18 KiB at 2 significant digits and the default
 * range); build one per distinct layout and keep it. Immutable and thread-safe.
 */
public final class BucketLayout {

    private final PerfRegistry registry;
    private final SlotProjection projection;

    BucketLayout(PerfRegistry registry, SlotProjection projection) {
        this.registry = registry;
        this.projection = projection;
    }

    /** Number of buckets. */
    public int bucketCount() {
        return projection.bucketCount();
    }

    /**
     * The bucket that holds {@code value}, in the timers' unit and in {@code [0, highestTrackableValue]}: the bucket of
     * the histogram slot the value is recorded into.
     */
    public int bucketOf(long value) {
        return projection.bucketOf(projection.layout().index(value));
    }

    PerfRegistry registry() {
        return registry;
    }

    SlotProjection projection() {
        return projection;
    }
}

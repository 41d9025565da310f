package dev.perfkit.internal;

import java.util.Arrays;

/**
 * The non-empty buckets of one reading through a {@link SlotProjection}, in increasing bucket order: counts are added
 * slot by slot in increasing slot order, and a bucket is closed when the next slot falls into a later one. Reusable:
 * {@link #clear()} before each reading. Not thread-safe; one per reader.
 */
public final class ProjectedCounts {

    private int size;
    private int[] buckets = new int[64];
    private long[] counts = new long[64];
    private int open = -1;
    private long openCount;
    private long total;

    /** Forgets the previous reading; keeps the arrays. */
    public void clear() {
        size = 0;
        open = -1;
        openCount = 0;
        total = 0;
    }

    /** Adds {@code count} to {@code bucket}, which must be at least the bucket of the previous call. */
    public void add(int bucket, long count) {
        if (bucket != open) {
            close();
            open = bucket;
        }
        openCount += count;
    }

    /** Ends the reading: the last bucket becomes visible. Idempotent. */
    public void finish() {
        close();
        open = -1;
    }

    private void close() {
        if (openCount == 0) {
            return;
        }
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        buckets[size] = open;
        counts[size] = openCount;
        size++;
        total += openCount;
        openCount = 0;
    }

    /** Number of non-empty buckets. */
    public int size() {
        return size;
    }

    /** Bucket number of the {@code i}-th non-empty bucket, increasing with {@code i}. */
    public int bucket(int i) {
        return buckets[i];
    }

    /** Count of the {@code i}-th non-empty bucket, at least 1. */
    public long count(int i) {
        return counts[i];
    }

    /** Sum of the counts. */
    public long total() {
        return total;
    }
}

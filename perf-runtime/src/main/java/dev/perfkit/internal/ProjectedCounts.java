package dev.perfkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The non-empty buckets of one reading through a {@link SlotProjection}, in increasing bucket order: counts are added
 * slot by slot in increasing slot order, and a bucket is closed when the next slot falls into a later one. Reusable:
 * {@link #clear()} before each reading. Not thread-safe; one per reader.
 */
public final class ProjectedCounts {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private int size;
    private int[] buckets = new int[64];
    private long[] counts = new long[64];
    private int open = -1;
    private long openCount;
    private long total;

    /** Forgets the previous reading; keeps the arrays, grown to hold {@code bucketCount} buckets. */
    public void clear(int bucketCount) {
        if (buckets.length < bucketCount + 1) {
            buckets = new int[bucketCount + 1];
            counts = new long[bucketCount + 1];
        }
        size = 0;
        open = -1;
        openCount = 0;
        total = 0;
    }

    /** As {@link #clear(int)} for buckets to be {@linkplain #add added} one by one. */
    public void clear() {
        clear(0);
    }

    /** Adds {@code count} to {@code bucket}, which must be at least the bucket of the previous call. */
    public void add(int bucket, long count) {
        if (bucket != open) {
            close();
            open = bucket;
        }
        openCount += count;
        total += count;
    }

    /**
     * Adds the slots of one chunk ({@code slots[offset]} the count of flat index {@code base + offset}, read opaquely
     * when {@code shared}, i.e. when writers may update it) through {@code map}, for a coarse projection (a change of
     * bucket every many slots, such as classic buckets): no branch on the counts, which are sparse and unpredictable,
     * one well-predicted branch on the change of bucket.
     */
    void addChunk(int[] map, int base, long[] slots, boolean shared) {
        int[] toBuckets = buckets;
        long[] toCounts = counts;
        int n = size;
        int bucket = open;
        long count = openCount;
        long sum = total;
        for (int offset = 0; offset < slots.length; offset++) {
            long slot = shared ? (long) LONGS.getOpaque(slots, offset) : slots[offset];
            int next = map[base + offset];
            if (next != bucket) {
                if (count != 0) {
                    toBuckets[n] = bucket;
                    toCounts[n] = count;
                    n++;
                }
                bucket = next;
                count = 0;
            }
            count += slot;
            sum += slot;
        }
        size = n;
        open = bucket;
        openCount = count;
        total = sum;
    }

    /**
     * As {@link #addChunk}, for a fine projection (a bucket every few slots, such as native buckets), where a branch on
     * each change of bucket would be mispredicted half the time: every slot stores the open bucket at the end, and
     * only a bucket left with a positive count advances the end.
     */
    void addChunkFine(int[] map, int base, long[] slots, boolean shared) {
        int[] toBuckets = buckets;
        long[] toCounts = counts;
        int n = size;
        int bucket = open;
        long count = openCount;
        long sum = total;
        for (int offset = 0; offset < slots.length; offset++) {
            long slot = shared ? (long) LONGS.getOpaque(slots, offset) : slots[offset];
            int next = map[base + offset];
            int diff = next ^ bucket;
            int changed = (diff | -diff) >>> 31; // 1 when the slot opens a new bucket
            toBuckets[n] = bucket;
            toCounts[n] = count;
            n += changed & (int) ((count | -count) >>> 63); // counts are never negative
            sum += slot;
            count = (count & (changed - 1L)) + slot;
            bucket = next;
        }
        size = n;
        open = bucket;
        openCount = count;
        total = sum;
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
        append(open, openCount);
        openCount = 0;
    }

    /** Appends a bucket after the last one: {@code bucket} above it, {@code count} positive. */
    private void append(int bucket, long count) {
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        buckets[size] = bucket;
        counts[size] = count;
        size++;
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

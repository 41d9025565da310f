package dev.perfkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The buckets of one reading through a {@link SlotProjection}: a count per bucket number, kept densely over the range
 * of buckets the reading touched, and on demand the list of non-empty buckets in increasing bucket order. Reusable:
 * {@linkplain #clear(int) clear} before each reading (which zeroes only the range the previous reading touched), then
 * {@linkplain #finish() finish}. Not thread-safe; one per reader.
 */
public final class ProjectedCounts {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private long[] dense = new long[64];
    /** Lowest and highest bucket numbers that may be non-zero; exact (both non-zero) after {@link #finish()}. */
    private int low = Integer.MAX_VALUE;
    private int high = -1;
    private long total;
    /** The non-empty buckets, listed by {@link #list()} on first use after a reading. */
    private boolean listed;
    private int size;
    private int[] buckets = new int[16];
    private long[] counts = new long[16];

    /** Forgets the previous reading; keeps the arrays, grown to hold {@code bucketCount} buckets. */
    public void clear(int bucketCount) {
        if (high >= low) {
            Arrays.fill(dense, low, high + 1, 0L);
        }
        if (dense.length < bucketCount) {
            dense = new long[bucketCount];
        }
        low = Integer.MAX_VALUE;
        high = -1;
        total = 0;
        size = 0;
        listed = false;
    }

    /** As {@link #clear(int)} for buckets to be {@linkplain #add added} one by one. */
    public void clear() {
        clear(0);
    }

    /** Adds {@code count} (not negative) to {@code bucket} (not negative). */
    public void add(int bucket, long count) {
        if (bucket >= dense.length) {
            dense = Arrays.copyOf(dense, Math.max(bucket + 1, dense.length * 2));
        }
        dense[bucket] += count;
        low = Math.min(low, bucket);
        high = Math.max(high, bucket);
        total += count;
    }

    /**
     * Adds one chunk of slots through the runs {@code from .. to - 1} of a projection: run {@code r} covers the
     * offsets from the previous run's end (0 for {@code from}) to {@code ends[r]}, all in bucket {@code runBuckets[r]},
     * and {@code prefix[o]} is the sum of the chunk's slots below offset {@code o}. A run's count is then a difference
     * of two prefix sums: no branch and no lookup per slot, whatever the counts.
     */
    void addRuns(int[] ends, int[] runBuckets, int from, int to, long[] prefix) {
        long[] into = dense;
        long previous = 0;
        for (int r = from; r < to; r++) {
            long next = prefix[ends[r]];
            into[runBuckets[r]] += next - previous;
            previous = next;
        }
        low = Math.min(low, runBuckets[from]);
        high = Math.max(high, runBuckets[to - 1]);
        total += previous;
    }

    /**
     * As {@link #addRuns}, from the slots themselves: {@code slots[at + o]} is the count at offset {@code o}, read
     * opaquely when {@code shared} (when writers may update it). Each run is a plain sum of consecutive slots; for one
     * projection, this saves writing the prefix sums.
     *
     * @return the sum of the chunk's slots
     */
    long addRunSums(int[] ends, int[] runBuckets, int from, int to, long[] slots, int at, boolean shared) {
        long[] into = dense;
        int start = at;
        long chunk = 0;
        for (int r = from; r < to; r++) {
            int end = at + ends[r];
            long run = 0;
            if (shared) {
                for (int i = start; i < end; i++) {
                    run += (long) LONGS.getOpaque(slots, i);
                }
            } else {
                for (int i = start; i < end; i++) {
                    run += slots[i];
                }
            }
            into[runBuckets[r]] += run;
            chunk += run;
            start = end;
        }
        if (chunk != 0) {
            low = Math.min(low, runBuckets[from]);
            high = Math.max(high, runBuckets[to - 1]);
            total += chunk;
        }
        return chunk;
    }

    /** Ends the reading: trims the range to its non-empty ends. Idempotent. */
    public void finish() {
        long[] d = dense;
        while (low <= high && d[low] == 0) {
            low++;
        }
        while (high >= low && d[high] == 0) {
            high--;
        }
        if (high < low) {
            low = Integer.MAX_VALUE;
            high = -1;
        }
    }

    /** The lowest non-empty bucket of a finished reading, -1 when it is empty. */
    public int lowest() {
        return high < 0 ? -1 : low;
    }

    /** The highest non-empty bucket of a finished reading, -1 when it is empty. */
    public int highest() {
        return high;
    }

    /** Count of {@code bucket}, 0 when it is empty or out of range. */
    public long countOf(int bucket) {
        return bucket >= low && bucket <= high ? dense[bucket] : 0;
    }

    /** Copies the counts of buckets {@code from .. to - 1} (0 outside the range read) into {@code into[0 ..]}. */
    public void copyCounts(int from, int to, long[] into) {
        if (from < 0 || to - from > into.length) {
            throw new IndexOutOfBoundsException("buckets " + from + " .. " + (to - 1) + " into " + into.length);
        }
        int lo = Math.max(from, low);
        int hi = Math.min(to, high + 1);
        if (hi <= lo) {
            Arrays.fill(into, 0, Math.max(to - from, 0), 0L);
            return;
        }
        Arrays.fill(into, 0, lo - from, 0L);
        System.arraycopy(dense, lo, into, lo - from, hi - lo);
        Arrays.fill(into, hi - from, to - from, 0L);
    }

    private void list() {
        if (listed) {
            return;
        }
        int span = high - low + 1;
        if (buckets.length < span) {
            buckets = new int[span];
            counts = new long[span];
        }
        int n = 0;
        for (int b = low; b <= high; b++) {
            long count = dense[b];
            buckets[n] = b;
            counts[n] = count;
            n += (int) ((count | -count) >>> 63); // counts are never negative
        }
        size = n;
        listed = true;
    }

    /** Number of non-empty buckets of a finished reading. */
    public int size() {
        list();
        return size;
    }

    /** Bucket number of the {@code i}-th non-empty bucket, increasing with {@code i}. */
    public int bucket(int i) {
        list();
        return buckets[i];
    }

    /** Count of the {@code i}-th non-empty bucket, at least 1. */
    public long count(int i) {
        list();
        return counts[i];
    }

    /** Sum of the counts. */
    public long total() {
        return total;
    }
}

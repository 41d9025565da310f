package dev.perfkit.internal;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * The non-zero slots of a histogram in a {@link HistogramLayout}, in index order: what a snapshot needs, without
 * allocating and scanning a full-range HdrHistogram per timer. Statistics follow HdrHistogram's own definitions
 * exactly ({@code PercentileTest} compares them with HdrHistogram on the same values), and {@link #toHistogram()}
 * rebuilds the equivalent HdrHistogram on demand. Immutable; the arrays may be longer than {@link #size()}.
 */
public final class SparseCounts {

    private final HistogramLayout layout;
    private final int size;
    private final int[] indexes;
    private final long[] counts;
    private final long totalCount;

    private SparseCounts(HistogramLayout layout, int size, int[] indexes, long[] counts, long totalCount) {
        this.layout = layout;
        this.size = size;
        this.indexes = indexes;
        this.counts = counts;
        this.totalCount = totalCount;
    }

    /**
     * The positive differences {@code now - earlier}, slot by slot ({@code earlier} may be null: then {@code now}
     * itself, shared, since both are immutable). Both must be of the same layout.
     */
    public static SparseCounts difference(SparseCounts now, SparseCounts earlier) {
        if (earlier == null || earlier.size == 0) {
            return now;
        }
        int[] indexes = new int[now.size];
        long[] counts = new long[now.size];
        int size = 0;
        long total = 0;
        int j = 0;
        for (int i = 0; i < now.size; i++) {
            int index = now.indexes[i];
            while (j < earlier.size && earlier.indexes[j] < index) {
                j++;
            }
            long before = j < earlier.size && earlier.indexes[j] == index ? earlier.counts[j] : 0;
            long count = Math.max(now.counts[i] - before, 0);
            indexes[size] = index;
            counts[size] = count;
            size += nonZero(count);
            total += count;
        }
        return new SparseCounts(now.layout, size, indexes, counts, total);
    }

    /** 1 when {@code count > 0}, else 0, without a branch (counts are never negative). */
    private static int nonZero(long count) {
        return (int) (-count >>> 63);
    }

    /** Appends non-zero slots in increasing index order. Not thread-safe; one per reading. */
    static final class Builder {
        private final HistogramLayout layout;
        private int size;
        private int[] indexes;
        private long[] counts;
        private long total;

        Builder(HistogramLayout layout, int initialCapacity) {
            this.layout = layout;
            this.indexes = new int[initialCapacity];
            this.counts = new long[initialCapacity];
        }

        /**
         * Appends the non-zero slots of {@code chunk} (a chunk of the layout, {@code chunkLength} slots). Every slot is
         * written and only a non-zero one advances the end: no branch that depends on the counts, which are sparse
         * and unpredictable.
         */
        void addNonZero(int chunk, long[] slots) {
            int n = size;
            if (n + slots.length > indexes.length) {
                int capacity = Math.max(indexes.length * 2, n + slots.length);
                indexes = Arrays.copyOf(indexes, capacity);
                counts = Arrays.copyOf(counts, capacity);
            }
            int[] toIndexes = indexes;
            long[] toCounts = counts;
            int base = layout.flatIndex(chunk, 0);
            long sum = total;
            for (int offset = 0; offset < slots.length; offset++) {
                long count = slots[offset];
                toIndexes[n] = base + offset;
                toCounts[n] = count;
                n += nonZero(count);
                sum += count;
            }
            size = n;
            total = sum;
        }

        SparseCounts build() {
            return new SparseCounts(layout, size, indexes, counts, total);
        }
    }

    public long totalCount() {
        return totalCount;
    }

    /** As {@code AbstractHistogram.getMinValue()}: 0 when empty or when 0 was recorded. */
    public long min() {
        if (totalCount == 0 || indexes[0] == 0) {
            return 0;
        }
        return layout.lowestValueAt(indexes[0]);
    }

    /** As {@code AbstractHistogram.getMaxValue()}: the highest value equivalent to the largest recorded one. */
    public long max() {
        if (totalCount == 0) {
            return 0;
        }
        int top = indexes[size - 1];
        long lowest = layout.lowestValueAt(top);
        return lowest == 0 ? 0 : layout.highestValueAt(top);
    }

    /** As {@code AbstractHistogram.getValueAtPercentile(double)}. */
    public long valueAtPercentile(double percentile) {
        long countAtPercentile = countAtPercentile(percentile);
        long running = 0;
        for (int i = 0; i < size; i++) {
            running += counts[i];
            if (running >= countAtPercentile) {
                return percentile == 0.0 ? layout.lowestValueAt(indexes[i]) : layout.highestValueAt(indexes[i]);
            }
        }
        return 0;
    }

    /**
     * {@link #valueAtPercentile(double)} of each of {@code percentiles}, given in increasing order, in one pass over
     * the slots; the values land in {@code out} at the same positions.
     */
    public void valuesAtPercentiles(double[] percentiles, long[] out) {
        int i = 0;
        long running = size > 0 ? counts[0] : 0;
        for (int p = 0; p < percentiles.length; p++) {
            long countAtPercentile = countAtPercentile(percentiles[p]);
            while (running < countAtPercentile && i + 1 < size) {
                running += counts[++i];
            }
            if (running < countAtPercentile) {
                out[p] = 0;
            } else {
                out[p] = percentiles[p] == 0.0 ? layout.lowestValueAt(indexes[i]) : layout.highestValueAt(indexes[i]);
            }
        }
    }

    private long countAtPercentile(double percentile) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0D), 100.0D);
        double fpCountAtPercentile = (requested * totalCount) / 100.0D;
        return Math.max((long) Math.ceil(fpCountAtPercentile), 1);
    }

    /** Number of non-zero slots. */
    public int size() {
        return size;
    }

    /** Lowest value of the {@code i}-th non-zero slot, in increasing value order. */
    public long lowestValue(int i) {
        return layout.lowestValueAt(indexes[i]);
    }

    /** Highest value of the {@code i}-th non-zero slot (HdrHistogram's highest equivalent value). */
    public long highestValue(int i) {
        return layout.highestValueAt(indexes[i]);
    }

    /** Count of the {@code i}-th non-zero slot. */
    public long count(int i) {
        return counts[i];
    }

    /** The equivalent HdrHistogram (a new instance on each call). */
    public Histogram toHistogram() {
        Histogram histogram = layout.newHistogram();
        for (int i = 0; i < size; i++) {
            histogram.recordValueWithCount(layout.lowestValueAt(indexes[i]), counts[i]);
        }
        return histogram;
    }
}

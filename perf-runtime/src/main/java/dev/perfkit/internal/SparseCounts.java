package dev.perfkit.internal;

import org.HdrHistogram.Histogram;

/**
 * The non-zero slots of a histogram in a {@link HistogramLayout}, in index order: what a snapshot needs, without
 * allocating and scanning a full-range HdrHistogram per timer. Statistics follow HdrHistogram's own definitions
 * exactly ({@code PercentileTest} compares them with HdrHistogram on the same values), and {@link #toHistogram()}
 * rebuilds the equivalent HdrHistogram on demand. Immutable.
 */
public final class SparseCounts {

    private final HistogramLayout layout;
    private final int[] indexes;
    private final long[] counts;
    private final long totalCount;

    private SparseCounts(HistogramLayout layout, int[] indexes, long[] counts, long totalCount) {
        this.layout = layout;
        this.indexes = indexes;
        this.counts = counts;
        this.totalCount = totalCount;
    }

    /**
     * The positive differences {@code now - earlier}, chunk by chunk ({@code earlier} may be null, and so may any
     * chunk of either: an absent chunk counts as zeros).
     */
    public static SparseCounts difference(HistogramLayout layout, long[][] now, long[][] earlier) {
        int size = 0;
        int[] indexes = new int[16];
        long[] counts = new long[16];
        long total = 0;
        for (int c = 0; c < now.length; c++) {
            long[] chunk = now[c];
            if (chunk == null) {
                continue;
            }
            long[] before = earlier == null ? null : earlier[c];
            for (int offset = 0; offset < chunk.length; offset++) {
                long count = before == null ? chunk[offset] : chunk[offset] - before[offset];
                if (count > 0) {
                    if (size == indexes.length) {
                        indexes = java.util.Arrays.copyOf(indexes, size * 2);
                        counts = java.util.Arrays.copyOf(counts, size * 2);
                    }
                    indexes[size] = layout.flatIndex(c, offset);
                    counts[size] = count;
                    size++;
                    total += count;
                }
            }
        }
        return new SparseCounts(layout, java.util.Arrays.copyOf(indexes, size), java.util.Arrays.copyOf(counts, size),
                total);
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
        int top = indexes[indexes.length - 1];
        long lowest = layout.lowestValueAt(top);
        return lowest == 0 ? 0 : layout.highestValueAt(top);
    }

    /** As {@code AbstractHistogram.getValueAtPercentile(double)}. */
    public long valueAtPercentile(double percentile) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0D), 100.0D);
        double fpCountAtPercentile = (requested * totalCount) / 100.0D;
        long countAtPercentile = Math.max((long) Math.ceil(fpCountAtPercentile), 1);
        long running = 0;
        for (int i = 0; i < indexes.length; i++) {
            running += counts[i];
            if (running >= countAtPercentile) {
                return percentile == 0.0 ? layout.lowestValueAt(indexes[i]) : layout.highestValueAt(indexes[i]);
            }
        }
        return 0;
    }

    /** Number of non-zero slots. */
    public int size() {
        return indexes.length;
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
        for (int i = 0; i < indexes.length; i++) {
            histogram.recordValueWithCount(layout.lowestValueAt(indexes[i]), counts[i]);
        }
        return histogram;
    }
}

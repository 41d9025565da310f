package dev.perfkit.internal;

import org.HdrHistogram.Histogram;

/**
 * The bucket layout of an HdrHistogram {@link Histogram} with a lowest discernible value of 1, computed once so that
 * per-thread counters can index their own arrays exactly as HdrHistogram would, and be merged back into a real
 * {@code Histogram} bucket by bucket with no loss of precision.
 *
 * <p>Design note: HdrHistogram stores counts in a flat array of {@code (bucketCount + 1) * subBucketHalfCount} slots,
 * where bucket {@code b} covers values {@code [2^b * subBucketHalfCount, 2^(b+1) * subBucketHalfCount)} with
 * {@code subBucketHalfCount} linear sub-buckets (the first one also covers {@code [0, subBucketHalfCount)}). We split
 * that flat array into <em>chunks</em> of {@code subBucketHalfCount} slots, one chunk per power-of-two range, so that a
 * recorder only allocates the ranges its values actually fall into. The index math mirrors
 * {@code AbstractHistogram.countsArrayIndex}; {@code HistogramLayoutTest} checks it against HdrHistogram itself.
 *
 * <p>Immutable and thread-safe.
 */
public final class HistogramLayout {

    private final long highestTrackableValue;
    private final int numberOfSignificantValueDigits;
    private final int subBucketHalfCountMagnitude;
    private final int subBucketHalfCount;
    private final long subBucketMask;
    private final int leadingZeroCountBase;
    private final int chunkCount;

    /**
     * @param highestTrackableValue          largest value tracked, at least 2 * 10^digits; larger values are clamped by
     *                                       callers
     * @param numberOfSignificantValueDigits decimal precision, 0 to 5 (HdrHistogram's range)
     */
    public HistogramLayout(long highestTrackableValue, int numberOfSignificantValueDigits) {
        if (numberOfSignificantValueDigits < 0 || numberOfSignificantValueDigits > 5) {
            throw new IllegalArgumentException("numberOfSignificantValueDigits must be 0 to 5, was "
                    + numberOfSignificantValueDigits);
        }
        long largestValueWithSingleUnitResolution = 2 * (long) Math.pow(10, numberOfSignificantValueDigits);
        if (highestTrackableValue < largestValueWithSingleUnitResolution) {
            throw new IllegalArgumentException("highestTrackableValue must be at least "
                    + largestValueWithSingleUnitResolution + " for " + numberOfSignificantValueDigits
                    + " significant digits, was " + highestTrackableValue);
        }
        this.highestTrackableValue = highestTrackableValue;
        this.numberOfSignificantValueDigits = numberOfSignificantValueDigits;
        int subBucketCountMagnitude = (int) Math.ceil(Math.log(largestValueWithSingleUnitResolution) / Math.log(2));
        this.subBucketHalfCountMagnitude = Math.max(subBucketCountMagnitude, 1) - 1;
        int subBucketCount = 1 << (subBucketHalfCountMagnitude + 1);
        this.subBucketHalfCount = subBucketCount / 2;
        this.subBucketMask = subBucketCount - 1L;
        this.leadingZeroCountBase = 64 - subBucketHalfCountMagnitude - 1;
        this.chunkCount = bucketsNeededToCover(highestTrackableValue, subBucketCount) + 1;
    }

    private static int bucketsNeededToCover(long value, int subBucketCount) {
        long smallestUntrackableValue = subBucketCount;
        int bucketsNeeded = 1;
        while (smallestUntrackableValue <= value) {
            if (smallestUntrackableValue > (Long.MAX_VALUE / 2)) {
                return bucketsNeeded + 1;
            }
            smallestUntrackableValue <<= 1;
            bucketsNeeded++;
        }
        return bucketsNeeded;
    }

    /** Flat counts-array index of {@code value}, which must be in {@code [0, highestTrackableValue]}. */
    public int index(long value) {
        int bucketIndex = leadingZeroCountBase - Long.numberOfLeadingZeros(value | subBucketMask);
        int subBucketIndex = (int) (value >>> bucketIndex);
        return ((bucketIndex + 1) << subBucketHalfCountMagnitude) + (subBucketIndex - subBucketHalfCount);
    }

    /** The lowest value that shares the slot at {@code index}: recording it is equivalent to recording any other. */
    public long lowestValueAt(int index) {
        int bucketIndex = (index >> subBucketHalfCountMagnitude) - 1;
        int subBucketIndex = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
        if (bucketIndex < 0) {
            subBucketIndex -= subBucketHalfCount;
            bucketIndex = 0;
        }
        return ((long) subBucketIndex) << bucketIndex;
    }

    /** Chunk (power-of-two range) holding the flat {@code index}. */
    public int chunkOf(int index) {
        return index >>> subBucketHalfCountMagnitude;
    }

    /** Offset of the flat {@code index} within its chunk. */
    public int offsetInChunk(int index) {
        return index & (subBucketHalfCount - 1);
    }

    /** Flat index of {@code offset} within {@code chunk}. */
    public int flatIndex(int chunk, int offset) {
        return (chunk << subBucketHalfCountMagnitude) + offset;
    }

    /** The highest value that shares the slot at {@code index} (HdrHistogram's highest equivalent value). */
    public long highestValueAt(int index) {
        int chunk = index >>> subBucketHalfCountMagnitude;
        long step = chunk <= 1 ? 1 : 1L << (chunk - 1);
        return lowestValueAt(index) + step - 1;
    }

    public int chunkCount() {
        return chunkCount;
    }

    /** Slots per chunk; one chunk costs {@code 8 * chunkLength()} bytes. */
    public int chunkLength() {
        return subBucketHalfCount;
    }

    public long highestTrackableValue() {
        return highestTrackableValue;
    }

    public int numberOfSignificantValueDigits() {
        return numberOfSignificantValueDigits;
    }

    /** A new, empty HdrHistogram with this layout. */
    public Histogram newHistogram() {
        return new Histogram(1, highestTrackableValue, numberOfSignificantValueDigits);
    }
}

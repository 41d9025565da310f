package dev.perfkit.internal;

import java.util.function.LongToIntFunction;

/**
 * A map from every slot of a {@link HistogramLayout} to a bucket of some other layout (an exporter's classic
 * boundaries, or native-histogram indexes at one schema), computed once so that a reading can add each slot's count
 * straight into its bucket, with no per-value search. Bucket numbers are {@code 0 .. bucketCount() - 1} and never
 * decrease with the slot's value. The map is also kept as <em>runs</em>: per chunk of the layout, the consecutive
 * slots that fall into one bucket, which is how a reading adds them (a sum per run, not a lookup per slot).
 *
 * <p>Memory: one {@code int} per slot of the layout ({@code 4 * chunkCount * chunkLength} bytes: about 18 KiB at 2
 * significant digits and an hour's range, 135 KiB at 3), and two per run (at most as many as slots). Immutable and
 * thread-safe.
 */
public final class SlotProjection {

    private final HistogramLayout layout;
    private final int[] bucketOfSlot;
    private final int bucketCount;
    /** Per run of slots of one chunk in one bucket: its end (exclusive offset in the chunk) and its bucket. */
    private final int[] runEnds;
    private final int[] runBuckets;
    /** Runs of chunk {@code c}: {@code firstRun[c] .. firstRun[c + 1] - 1}, the first one starting at offset 0. */
    private final int[] firstRun;

    private SlotProjection(HistogramLayout layout, int[] bucketOfSlot, int bucketCount) {
        this.layout = layout;
        this.bucketOfSlot = bucketOfSlot;
        this.bucketCount = bucketCount;
        int chunkLength = layout.chunkLength();
        int runs = 0;
        for (int index = 0; index < bucketOfSlot.length; index++) {
            if (index % chunkLength == 0 || bucketOfSlot[index] != bucketOfSlot[index - 1]) {
                runs++;
            }
        }
        this.runEnds = new int[runs];
        this.runBuckets = new int[runs];
        this.firstRun = new int[layout.chunkCount() + 1];
        int run = -1;
        for (int index = 0; index < bucketOfSlot.length; index++) {
            int offset = index % chunkLength;
            if (offset == 0 || bucketOfSlot[index] != bucketOfSlot[index - 1]) {
                run++;
                if (offset == 0) {
                    firstRun[index / chunkLength] = run;
                }
                runBuckets[run] = bucketOfSlot[index];
            }
            runEnds[run] = offset + 1;
        }
        firstRun[layout.chunkCount()] = runs;
    }

    /**
     * The projection that puts each slot into {@code bucketOfHighestValue.applyAsLong(highest)}, where {@code highest}
     * is the slot's highest equivalent value. The function is called once per slot, in increasing value order (it may
     * keep state across calls).
     *
     * @throws IllegalArgumentException if the function gives a negative bucket, or a smaller one than for a lower slot
     */
    public static SlotProjection of(HistogramLayout layout, LongToIntFunction bucketOfHighestValue) {
        int slots = layout.chunkCount() * layout.chunkLength();
        int[] map = new int[slots];
        int previous = 0;
        for (int index = 0; index < slots; index++) {
            long highest = layout.lowestValueAt(index) == 0 ? 0 : layout.highestValueAt(index);
            int bucket = bucketOfHighestValue.applyAsInt(highest);
            if (bucket < previous) {
                throw new IllegalArgumentException("bucket " + bucket + " of value " + highest
                        + " is below the previous slot's bucket " + previous);
            }
            map[index] = bucket;
            previous = bucket;
        }
        return new SlotProjection(layout, map, previous + 1);
    }

    /** The layout whose slots this maps. */
    public HistogramLayout layout() {
        return layout;
    }

    /** Number of buckets: one more than the highest bucket number. */
    public int bucketCount() {
        return bucketCount;
    }

    /** Bucket of the slot at flat index {@code index}. */
    public int bucketOf(int index) {
        return bucketOfSlot[index];
    }

    int[] runEnds() {
        return runEnds;
    }

    int[] runBuckets() {
        return runBuckets;
    }

    int[] firstRun() {
        return firstRun;
    }
}

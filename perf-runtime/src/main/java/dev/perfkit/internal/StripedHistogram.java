package dev.perfkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A histogram with any number of writing threads, platform or virtual, whose memory is bounded by the machine (its
 * cores), not by the number of threads: no per-thread state, no lock, no allocation once the cells and the value's
 * range (chunk) exist, exact counts.
 *
 * <p>Design note: the counts live in a small table of <em>cells</em>, in the manner of {@code LongAdder} /
 * {@code Striped64}. Each cell holds its own chunks of HdrHistogram-layout counts ({@link HistogramLayout}) and its
 * own sum. A writer picks its cell by hashing its thread id with the table's salt, then increments the slot with an
 * atomic add and adds the value to the cell's sum with a compare-and-set. A failed compare-and-set means that another
 * thread wrote the same cell at the same moment (two values in different slots still share the sum): the writer still
 * counts its value exactly (an atomic add on the sum), then spreads the writers out, by doubling the table while it is smaller than {@link #maxCells()}, else by
 * changing the salt so that every platform thread is hashed anew. The table starts with one cell, so a timer used by one
 * thread at a time costs one cell; it grows only on contention that really happened. Because nothing is keyed by the
 * thread, a million virtual threads cost what one does, and a dead thread leaves nothing behind.
 *
 * <p>Counts only grow, so a reader that adds up each slot of each cell sees, per slot, a value between the previous
 * reading and the current truth: the difference of two readings is a non-negative interval, and successive intervals
 * add up exactly to the final total once writers are quiescent. A reading taken while writers run is not one atomic
 * cut across slots (a value recorded during the read may land in this interval or the next), the usual contract of a
 * metrics read. Readers never block writers.
 *
 * <p>Memory: at most {@link #maxCells()} cells (the number of available processors rounded up to a power of two),
 * each about 256 bytes of padded fields and one array of {@code chunkCount} references, plus {@code 8 * chunkLength}
 * bytes per power-of-two range of values recorded into that cell (1 KiB at 2 significant digits, 8 KiB at 3).
 *
 * <p>Values must already be clamped into {@code [0, layout.highestTrackableValue()]} by the caller.
 */
public final class StripedHistogram {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle SUM;
    private static final VarHandle CELLS;
    /** Cells per timer at most: the available processors, rounded up to a power of two (as {@code Striped64}). */
    private static final int MAX_CELLS = ceilingPowerOfTwo(Runtime.getRuntime().availableProcessors());
    private static final int GOLDEN = 0x9E3779B9;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SUM = lookup.findVarHandle(Cell.class, "sum", long.class);
            CELLS = lookup.findVarHandle(StripedHistogram.class, "cells", Cell[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HistogramLayout layout;
    /** Length a power of two, at most MAX_CELLS; replaced (never shrunk) when writers collide. */
    private volatile Cell[] cells;
    /** Non-zero slots at the last read: the next read's capacity, so that it rarely grows. Racy by design. */
    private int lastReadSize;
    /** Mixed into the thread hash; changed when writers collide on a full table. Races are harmless. */
    private volatile int salt;

    public StripedHistogram(HistogramLayout layout) {
        this.layout = layout;
        this.cells = new Cell[] {new Cell(layout.chunkCount())};
    }

    /** Records one value, in {@code [0, highestTrackableValue]}, from any thread. Allocation-free once warm. */
    public void record(long value) {
        int index = layout.index(value);
        Cell[] table = cells;
        Cell cell = table[hash(Thread.currentThread().getId(), salt) & (table.length - 1)];
        if (!cell.record(layout.chunkOf(index), layout.offsetInChunk(index), value, layout.chunkLength())) {
            spread(table);
        }
    }

    private static int hash(long threadId, int salt) {
        long h = (threadId + salt) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /**
     * Writers collided on one cell: double the table, or, at its maximum size, hash every platform thread anew. A
     * virtual thread does not change the salt: it lives for a request, so the next one hashes elsewhere anyway, and a
     * salt written on every collision would only bounce its cache line between the carriers.
     */
    private void spread(Cell[] table) {
        if (table.length < MAX_CELLS) {
            Cell[] grown = new Cell[table.length * 2];
            System.arraycopy(table, 0, grown, 0, table.length);
            for (int i = table.length; i < grown.length; i++) {
                grown[i] = new Cell(layout.chunkCount());
            }
            CELLS.compareAndSet(this, table, grown); // a racing grower may win: its table is as good
        } else if (!VirtualThreads.isVirtual(Thread.currentThread())) {
            salt += GOLDEN;
        }
    }

    /**
     * The counts recorded so far, as non-zero slots in index order: per chunk of the layout, the cells' counts are
     * added into one scratch chunk and its non-zero slots appended, so a reading allocates its result and one chunk,
     * never a dense copy of the histogram. Read {@link #sum()} after it for the matching sum. Readers only; never
     * blocks writers.
     */
    public SparseCounts read() {
        Cell[] current = cells;
        int chunkLength = layout.chunkLength();
        SparseCounts.Builder out = new SparseCounts.Builder(layout, lastReadSize + chunkLength);
        long[] scratch = null;
        for (int c = 0; c < layout.chunkCount(); c++) {
            boolean present = false;
            for (Cell cell : current) {
                long[] chunk = (long[]) CHUNKS.getAcquire(cell.chunks, c);
                if (chunk == null) {
                    continue;
                }
                if (!present) {
                    if (scratch == null) {
                        scratch = new long[chunkLength];
                    }
                    for (int offset = 0; offset < chunkLength; offset++) {
                        scratch[offset] = (long) LONGS.getOpaque(chunk, offset);
                    }
                    present = true;
                } else {
                    for (int offset = 0; offset < chunkLength; offset++) {
                        scratch[offset] += (long) LONGS.getOpaque(chunk, offset);
                    }
                }
            }
            if (present) {
                out.addNonZero(c, scratch);
            }
        }
        SparseCounts read = out.build();
        lastReadSize = read.size();
        return read;
    }

    /**
     * Adds the counts recorded so far straight into the buckets of {@code first} (and of {@code second}, if not null),
     * without building {@link SparseCounts}: per chunk of the layout, the cells' slots are summed once into prefix
     * sums, and each run of slots that a projection puts into one bucket adds the difference of two of them. The
     * projected counts are {@linkplain ProjectedCounts#clear(int) cleared} first, then {@linkplain
     * ProjectedCounts#finish() finished}. Allocation-free once they are large enough. Read {@link #sum()} after it for
     * the matching sum. Readers only; never blocks writers; the same guarantees as {@link #read()} (per slot, a value
     * between the previous reading and the current truth).
     *
     * @param scratch at least {@code chunkLength + 1} longs the reader owns, for one chunk's prefix sums
     * @return the flat index of the highest non-empty slot read, -1 when none was
     */
    public int readInto(SlotProjection first, ProjectedCounts firstCounts, SlotProjection second,
                        ProjectedCounts secondCounts, long[] scratch) {
        int chunkLength = layout.chunkLength();
        if (scratch.length < chunkLength + 1) {
            throw new IllegalArgumentException("scratch of " + scratch.length + " longs, needs " + (chunkLength + 1));
        }
        firstCounts.clear(first.bucketCount());
        if (secondCounts != null) {
            secondCounts.clear(second.bucketCount());
        }
        Cell[] current = cells;
        long[] sums = scratch; // sums[1 + o]: the cells' counts at offset o; then, with two projections, prefix sums
        int top = -1;
        for (int c = 0; c < layout.chunkCount(); c++) {
            long[] only = null;
            int present = 0;
            for (Cell cell : current) {
                long[] chunk = (long[]) CHUNKS.getAcquire(cell.chunks, c);
                if (chunk == null) {
                    continue;
                }
                if (present == 1) {
                    for (int offset = 0; offset < chunkLength; offset++) {
                        sums[offset + 1] = (long) LONGS.getOpaque(only, offset);
                    }
                }
                if (present >= 1) {
                    for (int offset = 0; offset < chunkLength; offset++) {
                        sums[offset + 1] += (long) LONGS.getOpaque(chunk, offset);
                    }
                } else {
                    only = chunk;
                }
                present++;
            }
            if (present == 0) {
                continue;
            }
            if (current.length == 1) {
                touchNext(current[0].chunks, c + 1, chunkLength);
            }
            int highest;
            if (secondCounts == null) {
                boolean shared = present == 1;
                long[] slots = shared ? only : sums;
                int at = shared ? 0 : 1;
                int[] firstRun = first.firstRun();
                long chunkSum = firstCounts.addRunSums(first.runEnds(), first.runBuckets(), firstRun[c],
                        firstRun[c + 1], slots, at, shared);
                if (chunkSum == 0) {
                    continue;
                }
                highest = chunkLength - 1;
                while ((shared ? (long) LONGS.getOpaque(slots, highest) : slots[at + highest]) == 0 && highest > 0) {
                    highest--; // a count written after the sum may show here: the top is then that slot's
                }
            } else {
                sums[0] = 0;
                long running = 0;
                if (present == 1) {
                    for (int offset = 0; offset < chunkLength; offset++) {
                        running += (long) LONGS.getOpaque(only, offset);
                        sums[offset + 1] = running;
                    }
                } else {
                    for (int offset = 0; offset < chunkLength; offset++) {
                        running += sums[offset + 1];
                        sums[offset + 1] = running;
                    }
                }
                if (running == 0) {
                    continue;
                }
                add(first, firstCounts, c, sums);
                add(second, secondCounts, c, sums);
                int end = chunkLength;
                while (sums[end - 1] == running) {
                    end--; // the highest slot whose count was read non-zero is end - 1
                }
                highest = end - 1;
            }
            top = layout.flatIndex(c, highest);
        }
        firstCounts.finish();
        if (secondCounts != null) {
            secondCounts.finish();
        }
        return top;
    }

    /**
     * Loads one count per cache line of the next chunk at or after {@code from}, so that its lines are on their way
     * from memory while this chunk is summed: a chunk is too short for the hardware prefetcher to follow on its own.
     */
    private static void touchNext(long[][] chunks, int from, int chunkLength) {
        for (int c = from; c < chunks.length; c++) {
            long[] next = (long[]) CHUNKS.getAcquire(chunks, c);
            if (next != null) {
                long touched = 0;
                for (int offset = 0; offset < chunkLength; offset += 8) {
                    touched |= (long) LONGS.getOpaque(next, offset);
                }
                if (touched < 0) { // never: counts are not negative; keeps the loads
                    throw new IllegalStateException("negative count");
                }
                return;
            }
        }
    }

    private static void add(SlotProjection projection, ProjectedCounts counts, int chunk, long[] prefix) {
        int[] firstRun = projection.firstRun();
        counts.addRuns(projection.runEnds(), projection.runBuckets(), firstRun[chunk], firstRun[chunk + 1], prefix);
    }

    /** The sum of the values recorded so far (exact once writers are quiescent). Readers only. */
    public long sum() {
        long sum = 0;
        for (Cell cell : cells) {
            sum += (long) SUM.getOpaque(cell);
        }
        return sum;
    }

    /** Cells in use now (at most {@link #maxCells()}). */
    public int cellCount() {
        return cells.length;
    }

    /** The most cells a histogram grows to on this machine. */
    public static int maxCells() {
        return MAX_CELLS;
    }

    public HistogramLayout layout() {
        return layout;
    }

    private static int ceilingPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** One stripe: counts by chunk and the sum of the values recorded into it. */
    static final class Cell {
        final long[][] chunks;
        // Padding against false sharing: the sum is the one field every record of this cell writes, and a cell is
        // allocated next to whatever its creating thread allocated just before it (the cell table, which every
        // writer reads). 15 longs on each side keep 128 bytes (a cache line and its prefetched neighbour, as
        // @jdk.internal.vm.annotation.Contended does for Striped64's cells) between the sum and any other object's
        // fields; fields of one size keep their declaration order. At most one cell per core, so it is cheap.
        long q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15;
        @SuppressWarnings("unused") // accessed through SUM
        volatile long sum;
        long p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;

        Cell(int chunkCount) {
            this.chunks = new long[chunkCount][];
        }

        /**
         * Counts one value; false when another writer updated this cell at the same moment (the value is still
         * counted). The sum is the word every writer of a cell updates, so it is where contention shows: a
         * compare-and-set on it fails when another core wrote it in between, even when the two values fall into
         * different slots.
         */
        boolean record(int chunkIndex, int offset, long value, int chunkLength) {
            long[] chunk = (long[]) CHUNKS.getAcquire(chunks, chunkIndex);
            if (chunk == null) {
                chunk = newChunk(chunkIndex, chunkLength);
            }
            LONGS.getAndAdd(chunk, offset, 1L);
            long current = (long) SUM.getOpaque(this);
            if (SUM.compareAndSet(this, current, current + value)) {
                return true;
            }
            SUM.getAndAdd(this, value);
            return false;
        }

        private long[] newChunk(int chunkIndex, int chunkLength) {
            long[] fresh = new long[chunkLength];
            long[] witness = (long[]) CHUNKS.compareAndExchangeRelease(chunks, chunkIndex, null, fresh);
            return witness == null ? fresh : witness;
        }
    }
}

package dev.perfkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The exact count of a sampled timer's unsampled calls, and the choice of which calls are sampled, at the cost of a
 * few plain loads and stores per call: no atomic instruction, no fence, no allocation.
 *
 * <p>A fixed table of cells (twice the cores, rounded up to a power of two, at most 64) is indexed by a hash of the
 * thread id. The first thread to count through a free cell claims it with one compare-and-set and owns it from then
 * on: it reads and writes the cell's count and sampling point without an atomic operation, since no other thread writes
 * them. A thread whose cell is owned by another live thread counts in a {@link LongAdder} instead and draws each
 * sampling decision from {@link ThreadLocalRandom}; one call in {@value #TAKE_OVER_CHECK_ONE_IN} of those checks
 * whether the owner has terminated and, if so, takes the cell over. Termination of the owner happens-before that
 * check ({@link Thread#isAlive()}), so the new owner sees the final count. Memory is the table, whatever the number of
 * threads, platform or virtual; a terminated owner stays referenced until its cell is taken over.
 *
 * <p>Sampling: an owner samples the call its cell marks as the next sampled one, then draws the gap to the next one
 * uniformly from [1, 2N - 1] (mean N, for one call in N); a non-owner samples when the low bits of a random int are
 * all zero. Either way the choice depends on no call's latency, and a method whose latency has a period cannot alias
 * with it.
 *
 * <p>{@link #sum()} may run concurrently with writers and never blocks them; it sees every count that
 * happens-before it, including a count a writer made before a release (an atomic update, such as the error count a
 * timer updates after a failed call) that the reader has acquired. Thread-safe.
 */
public final class SamplingCounter {

    /** A non-owning writer checks one call in this many whether the owner of its cell has terminated. */
    static final int TAKE_OVER_CHECK_ONE_IN = 64;

    private static final int CELLS = cellCount(Runtime.getRuntime().availableProcessors());
    private static final int SHIFT = 64 - Integer.numberOfTrailingZeros(CELLS);

    private static final VarHandle COUNT;
    private static final VarHandle OWNER;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(Cell[].class);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(Counted.class, "count", long.class);
            OWNER = lookup.findVarHandle(Counted.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Read plainly on the fast path, with acquire and compare-and-set through {@code CELL} otherwise. */
    private final Cell[] cells = new Cell[CELLS];
    private final LongAdder shared = new LongAdder();

    static int cellCount(int processors) {
        int wanted = Math.max(2, Math.min(64, 2 * processors));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    /**
     * Decides whether this call is sampled, and counts it when it is not.
     *
     * @param sampleMask one call in {@code sampleMask + 1} (a power of two, at least 2) is sampled
     * @return true when the call was counted here (not sampled); false when it is sampled, and so not counted: the
     *     caller records its latency
     */
    public boolean countUnlessSampled(int sampleMask) {
        Thread thread = Thread.currentThread();
        int index = index(thread);
        Cell cell = cells[index];
        // A plain read of the owner: only this thread can have stored itself there, and nobody takes over the cell of
        // a live thread, so seeing this thread there is never stale.
        if (cell != null && cell.owner == thread) {
            long count = cell.count;
            if (count + 1 != cell.sampleAt) {
                COUNT.setOpaque(cell, count + 1);
                return true;
            }
            cell.sampleAt = count + nextGap(sampleMask);
            return false;
        }
        if ((ThreadLocalRandom.current().nextInt() & sampleMask) == 0) {
            return false;
        }
        countSlow(thread, index, cell, sampleMask);
        return true;
    }

    /** Adds one. Never throws; allocation-free once this thread's cell exists. */
    public void increment() {
        Thread thread = Thread.currentThread();
        int index = index(thread);
        Cell cell = cells[index];
        if (cell != null && cell.owner == thread) {
            cell.sampleAt++; // counted without a sampling decision: the gap to the next sampled call stays
            COUNT.setOpaque(cell, cell.count + 1);
            return;
        }
        countSlow(thread, index, cell, 0);
    }

    private static int index(Thread thread) {
        return (int) ((thread.getId() * 0x9E3779B97F4A7C15L) >>> SHIFT);
    }

    private void countSlow(Thread thread, int index, Cell racy, int sampleMask) {
        // Read again with acquire: the plain read may have seen a cell but not its owner.
        Cell cell = racy == null ? null : (Cell) CELL.getAcquire(cells, index);
        if (cell == null) {
            if (CELL.compareAndSet(cells, index, null, new Cell(thread, 1 + nextGap(sampleMask)))) {
                return;
            }
            cell = (Cell) CELL.getAcquire(cells, index);
        }
        if ((ThreadLocalRandom.current().nextInt() & (TAKE_OVER_CHECK_ONE_IN - 1)) == 0 && takeOver(thread, cell)) {
            long count = cell.count + 1;
            cell.sampleAt = count + nextGap(sampleMask); // a fresh gap, always ahead of the count
            COUNT.setOpaque(cell, count);
            return;
        }
        shared.increment();
    }

    private static boolean takeOver(Thread thread, Cell cell) {
        Thread owner = (Thread) OWNER.getVolatile(cell);
        return owner != thread && !owner.isAlive() && OWNER.compareAndSet(cell, owner, thread);
    }

    /** A gap drawn uniformly from [1, 2N - 1], N = sampleMask + 1 (mean N); 1 for a mask of 0. */
    private static int nextGap(int sampleMask) {
        return sampleMask == 0 ? 1 : 1 + ThreadLocalRandom.current().nextInt(2 * sampleMask + 1);
    }

    /** The count: every count that happens-before this call, and possibly some concurrent ones. */
    public long sum() {
        long total = shared.sum();
        for (int i = 0; i < CELLS; i++) {
            Cell cell = (Cell) CELL.getAcquire(cells, i);
            if (cell != null) {
                total += (long) COUNT.getAcquire(cell);
            }
        }
        return total;
    }

    /** Keeps a cell's fields away from its neighbours' cache lines. */
    @SuppressWarnings("unused")
    private static class PadBefore {
        long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    private static class Counted extends PadBefore {
        /** Set when the cell is published, then only by {@link #takeOver} (volatile through {@code OWNER}). */
        Thread owner;
        /** Written only by the owner, opaque, so that a reader never sees a torn value. */
        long count;
        /**
         * The owner's next call is sampled (and not counted) when {@code count + 1} equals this; read and written only
         * by the owner.
         */
        long sampleAt;
    }

    @SuppressWarnings("unused")
    private static final class Cell extends Counted {
        long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

        /** A cell owned by {@code owner}, holding its first count. */
        Cell(Thread owner, long sampleAt) {
            this.owner = owner;
            this.count = 1;
            this.sampleAt = sampleAt;
        }
    }
}

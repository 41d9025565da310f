package dev.perfkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A histogram with many writers and occasional readers, where each writing thread owns a private cell and nothing on
 * the write path is shared between threads: no atomic read-modify-write, no lock, no allocation once the thread's cell
 * and the value's range (chunk) exist.
 *
 * <p>Design note: a writer increments its own counts with opaque stores ({@link VarHandle#setOpaque}), which on x86
 * and ARM compile to plain stores but may not be elided or coalesced, so every increment eventually becomes visible to
 * readers. Counts only grow, so a reader that copies each slot sees, for each slot, a value between the previous copy
 * and the current truth; subtracting two copies gives a non-negative interval, and successive intervals add up exactly
 * to the final total once writers are quiescent. A copy taken while writers run is not a single atomic cut across
 * slots (a value recorded during the copy may land in this interval or the next), which is the usual contract of a
 * metrics read. Readers are serialised by a lock and never block writers. A cell whose thread has died is folded into
 * a retired histogram and dropped, so thread churn does not grow memory.
 *
 * <p>Memory: one array of {@code chunkCount} references per thread, plus {@code 8 * chunkLength} bytes for each
 * power-of-two range the thread has actually recorded into (1 KiB at 2 significant digits, 8 KiB at 3).
 *
 * <p>Values must already be clamped into {@code [0, layout.highestTrackableValue()]} by the caller.
 */
public final class PerThreadHistogram {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle SUM;

    static {
        try {
            SUM = MethodHandles.lookup().findVarHandle(Cell.class, "sum", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final HistogramLayout layout;
    private final ThreadLocal<Cell> localCell = ThreadLocal.withInitial(this::newCell);
    private final ConcurrentLinkedQueue<Cell> cells = new ConcurrentLinkedQueue<>();
    private final Object readLock = new Object();
    private final long[][] retired; // counts of dead threads, by chunk; guarded by readLock
    private long retiredSum; // guarded by readLock

    public PerThreadHistogram(HistogramLayout layout) {
        this.layout = layout;
        this.retired = new long[layout.chunkCount()][];
    }

    /** Records one value, in {@code [0, highestTrackableValue]}, from the calling thread. Allocation-free once warm. */
    public void record(long value) {
        localCell.get().record(value, layout);
    }

    /**
     * Adds every count recorded so far (by live and dead threads) into {@code chunks} (one array per chunk of the
     * layout, allocated here only for the chunks that hold counts).
     *
     * @return the sum of the recorded values
     */
    public long addTo(long[][] chunks) {
        synchronized (readLock) {
            for (Iterator<Cell> it = cells.iterator(); it.hasNext(); ) {
                Cell cell = it.next();
                Thread owner = cell.owner.get();
                if (owner == null || !owner.isAlive()) {
                    // The owner can no longer write: fold the cell in once and forget it.
                    retiredSum += cell.addTo(retired, layout);
                    it.remove();
                    continue;
                }
            }
            long sum = retiredSum;
            for (int c = 0; c < retired.length; c++) {
                if (retired[c] != null) {
                    add(retired[c], chunks, c);
                }
            }
            for (Cell cell : cells) {
                sum += cell.addTo(chunks, layout);
            }
            return sum;
        }
    }

    private static void add(long[] source, long[][] target, int chunk) {
        long[] into = target[chunk];
        if (into == null) {
            into = new long[source.length];
            target[chunk] = into;
        }
        for (int offset = 0; offset < source.length; offset++) {
            into[offset] += (long) LONGS.getOpaque(source, offset);
        }
    }

    /** Number of threads currently holding a cell. */
    public int liveCells() {
        return cells.size();
    }

    public HistogramLayout layout() {
        return layout;
    }

    private Cell newCell() {
        Cell cell = new Cell(Thread.currentThread(), layout.chunkCount());
        cells.add(cell);
        return cell;
    }

    /** One thread's counts. Written only by its owner. */
    static final class Cell {
        final WeakReference<Thread> owner;
        final long[][] chunks;
        @SuppressWarnings("unused") // accessed through SUM
        long sum;

        Cell(Thread owner, int chunkCount) {
            this.owner = new WeakReference<>(owner);
            this.chunks = new long[chunkCount][];
        }

        void record(long value, HistogramLayout layout) {
            int index = layout.index(value);
            int chunkIndex = layout.chunkOf(index);
            long[] chunk = chunks[chunkIndex]; // plain read: only the owner writes this slot
            if (chunk == null) {
                chunk = new long[layout.chunkLength()];
                CHUNKS.setRelease(chunks, chunkIndex, chunk);
            }
            int offset = layout.offsetInChunk(index);
            LONGS.setOpaque(chunk, offset, chunk[offset] + 1);
            SUM.setOpaque(this, sum + value);
        }

        /** Adds this cell's counts to {@code target} chunk by chunk; returns the cell's sum. Readers only. */
        long addTo(long[][] target, HistogramLayout layout) {
            for (int c = 0; c < chunks.length; c++) {
                long[] chunk = (long[]) CHUNKS.getAcquire(chunks, c);
                if (chunk != null) {
                    add(chunk, target, c);
                }
            }
            return (long) SUM.getOpaque(this);
        }
    }
}

package dev.perfkit.traffic.features;

import java.util.Arrays;

/**
 * Rows grouped by edge and ordered by time within each edge, built with primitive sorts only.
 *
 * <p>{@code order[groupStart[e] .. groupStart[e + 1])} are the rows of edge {@code e}, oldest first (ties by row
 * number); {@code timeAt} and {@code speedAt} hold the time and speed of the row at each position of {@code order}.
 * {@code positionOf[row]} is the inverse of {@code order}; {@code byTime} lists all rows by time (stable), or is null
 * when the rows already are in time order. Walking the rows by time visits each edge's positions in increasing order,
 * so per-edge forward pointers work in that walk, and the output columns are written sequentially.
 */
final class EdgeGroups {

    final int[] order;
    final int[] groupStart;
    final long[] timeAt;
    final double[] speedAt;
    final int[] positionOf;
    final int[] byTime;
    /** The input's edge index per row (shared, not copied). */
    final int[] edgeOfRow;

    private EdgeGroups(int[] order, int[] groupStart, long[] timeAt, double[] speedAt, int[] positionOf,
                       int[] byTime, int[] edgeOfRow) {
        this.edgeOfRow = edgeOfRow;
        this.order = order;
        this.groupStart = groupStart;
        this.timeAt = timeAt;
        this.speedAt = speedAt;
        this.positionOf = positionOf;
        this.byTime = byTime;
    }

    /** The row visited at step {@code k} of the walk by time. */
    int rowAt(int k) {
        return byTime == null ? k : byTime[k];
    }

    static EdgeGroups of(int[] edge, long[] epochSecond, double[] speedKmh, int edgeCount) {
        int n = edge.length;
        int[] byTime = rowsByTime(epochSecond);
        // Stable counting sort by edge keeps the time order inside each edge.
        int[] groupStart = new int[edgeCount + 1];
        for (int row = 0; row < n; row++) {
            groupStart[edge[row] + 1]++;
        }
        for (int e = 0; e < edgeCount; e++) {
            groupStart[e + 1] += groupStart[e];
        }
        int[] next = Arrays.copyOf(groupStart, edgeCount);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int row = byTime == null ? i : byTime[i];
            order[next[edge[row]]++] = row;
        }
        long[] timeAt = new long[n];
        double[] speedAt = new double[n];
        int[] positionOf = new int[n];
        for (int p = 0; p < n; p++) {
            int row = order[p];
            timeAt[p] = epochSecond[row];
            speedAt[p] = speedKmh[row];
            positionOf[row] = p;
        }
        return new EdgeGroups(order, groupStart, timeAt, speedAt, positionOf, byTime, edge);
    }

    /** Rows sorted by time (stable), or null when the rows already are in time order (the common case). */
    private static int[] rowsByTime(long[] epochSecond) {
        int n = epochSecond.length;
        boolean sorted = true;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long t = epochSecond[i];
            if (i > 0 && t < epochSecond[i - 1]) {
                sorted = false;
            }
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        if (sorted) {
            return null;
        }
        int[] rows = new int[n];
        if (max - min < (1L << 31)) {
            // Pack (time offset, row) into one long: sorting the longs sorts by time, then by row (stable).
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ((epochSecond[i] - min) << 32) | i;
            }
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                rows[i] = (int) keys[i];
            }
        } else {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (a, b) -> Long.compare(epochSecond[a], epochSecond[b]));
            for (int i = 0; i < n; i++) {
                rows[i] = boxed[i];
            }
        }
        return rows;
    }
}

package dev.perfkit.traffic.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Lags, rolling statistics and changes per edge in time order: see the catalogue in {@link FeatureEngineer}. Each
 * method is one pass over the rows that writes one to four columns sequentially: lags walk the rows by time (see
 * {@link EdgeGroups}) for their forward pointers; rolling statistics and changes need no state and walk the rows in
 * order. The passes are independent, so they may run on different threads.
 */
final class LagFeatures {

    private LagFeatures() {
    }

    static List<FeatureColumn> catalogue(FeatureConfig config) {
        List<FeatureColumn> cols = new ArrayList<>();
        for (int lag : config.lagMinutes()) {
            long toleranceMin = Math.round(lag * config.lagTolerance());
            cols.add(new FeatureColumn("speed_lag_" + lag + "m", "lag", "speed of the same edge at its latest "
                    + "observation " + lag + " to " + (lag + toleranceMin) + " min earlier; NaN when none", "km/h"));
        }
        for (int w : config.rollingWindows()) {
            String window = " over the last " + w + " observations of the edge including this one; NaN while fewer";
            cols.add(new FeatureColumn("speed_roll_mean_" + w, "lag", "mean speed" + window, "km/h"));
            cols.add(new FeatureColumn("speed_roll_std_" + w, "lag", "sample std of speed" + window, "km/h"));
            cols.add(new FeatureColumn("speed_roll_min_" + w, "lag", "minimum speed" + window, "km/h"));
            cols.add(new FeatureColumn("speed_roll_max_" + w, "lag", "maximum speed" + window, "km/h"));
        }
        cols.add(new FeatureColumn("speed_change", "lag",
                "speed minus the previous observation's of the same edge; NaN for the first", "km/h"));
        cols.add(new FeatureColumn("speed_pct_change", "lag",
                "speed_change / previous speed * 100; NaN for the first or when the previous speed is 0", "%"));
        return cols;
    }

    /**
     * {@code speed_lag_<lagMinutes>m} for the rows at steps {@code [from, to)} of the walk by time: one forward
     * pointer per edge to its latest observation at least the lag ago, started by binary search so that ranges are
     * independent.
     */
    static void lag(EdgeGroups groups, long lagSec, long toleranceSec, double[] out, int from, int to) {
        if (from >= to) {
            return;
        }
        int[] groupStart = groups.groupStart;
        long[] time = groups.timeAt;
        double[] speed = groups.speedAt;
        int[] positionOf = groups.positionOf;
        int[] edgeOf = groups.edgeOfRow;
        int[] pointer = new int[groupStart.length - 1];
        long firstTarget = time[positionOf[groups.rowAt(from)]] - lagSec;
        for (int e = 0; e < pointer.length; e++) {
            // Below every target of the range; the positions it can reach are all earlier than the range's rows.
            pointer[e] = SpatialFeatures.lastBefore(time, groupStart[e], groupStart[e + 1], firstTarget);
        }
        for (int k = from; k < to; k++) {
            int row = groups.rowAt(k);
            int p = positionOf[row];
            int e = edgeOf[row];
            long target = time[p] - lagSec;
            int q = pointer[e];
            while (q + 1 < p && time[q + 1] <= target) {
                q++;
            }
            pointer[e] = q;
            boolean inWindow = q >= groupStart[e] && time[q] >= target - toleranceSec;
            out[row] = inWindow ? speed[q] : Double.NaN;
        }
    }

    /**
     * Every rolling window at once for rows {@code [from, to)}: {@code out[w]} holds the mean, std, min and max
     * columns of window {@code windows[w]}. Minimum and maximum do not depend on the order of their operands, so
     * they are taken once over the largest window, backwards from the row, and read off at each window's size
     * (12 steps for windows 3, 6 and 12 instead of 21); sums and squares keep the order of a plain loop per window,
     * oldest observation first, so the values are the same bits.
     */
    static void rolling(EdgeGroups groups, int[] windows, double[][][] out, int from, int to) {
        int[] groupStart = groups.groupStart;
        double[] speed = groups.speedAt;
        int[] positionOf = groups.positionOf;
        int[] edgeOf = groups.edgeOfRow;
        int count = windows.length;
        Integer[] boxed = new Integer[count];
        for (int w = 0; w < count; w++) {
            boxed[w] = w;
        }
        java.util.Arrays.sort(boxed, (a, b) -> Integer.compare(windows[a], windows[b]));
        int[] bySize = new int[count]; // window indexes, smallest window first
        for (int k = 0; k < count; k++) {
            bySize[k] = boxed[k];
        }
        double[] minAt = new double[count];
        double[] maxAt = new double[count];
        for (int row = from; row < to; row++) {
            int p = positionOf[row];
            int have = p - groupStart[edgeOf[row]] + 1;
            // Min and max, growing backwards from the row; read off at each window that the history fills.
            // Two interleaved accumulators each: half as long a chain of dependent operations, same values.
            double minEven = Double.POSITIVE_INFINITY;
            double minOdd = Double.POSITIVE_INFINITY;
            double maxEven = Double.NEGATIVE_INFINITY;
            double maxOdd = Double.NEGATIVE_INFINITY;
            int k = 0;
            for (int i = 0; k < count && windows[bySize[k]] <= have; i++) {
                double v = speed[p - i];
                if ((i & 1) == 0) {
                    minEven = Math.min(minEven, v);
                    maxEven = Math.max(maxEven, v);
                } else {
                    minOdd = Math.min(minOdd, v);
                    maxOdd = Math.max(maxOdd, v);
                }
                while (k < count && windows[bySize[k]] == i + 1) {
                    minAt[k] = Math.min(minEven, minOdd);
                    maxAt[k] = Math.max(maxEven, maxOdd);
                    k++;
                }
            }
            for (int s = 0; s < count; s++) {
                double[][] cols = out[bySize[s]];
                int size = windows[bySize[s]];
                if (s >= k) {
                    cols[0][row] = Double.NaN;
                    cols[1][row] = Double.NaN;
                    cols[2][row] = Double.NaN;
                    cols[3][row] = Double.NaN;
                    continue;
                }
                double sum = 0;
                for (int i = p - size + 1; i <= p; i++) {
                    sum += speed[i];
                }
                double mean = sum / size;
                double squares = 0;
                for (int i = p - size + 1; i <= p; i++) {
                    double d = speed[i] - mean;
                    squares += d * d;
                }
                cols[0][row] = mean;
                cols[1][row] = Math.sqrt(squares / (size - 1));
                cols[2][row] = minAt[s];
                cols[3][row] = maxAt[s];
            }
        }
    }

    /** {@code speed_change} and {@code speed_pct_change} for rows {@code [from, to)}. */
    static void change(EdgeGroups groups, double[] changeOut, double[] pctChangeOut, int from, int to) {
        int[] groupStart = groups.groupStart;
        double[] speed = groups.speedAt;
        int[] positionOf = groups.positionOf;
        int[] edgeOf = groups.edgeOfRow;
        for (int row = from; row < to; row++) {
            int p = positionOf[row];
            if (p == groupStart[edgeOf[row]]) {
                changeOut[row] = Double.NaN;
                pctChangeOut[row] = Double.NaN;
            } else {
                double previous = speed[p - 1];
                double delta = speed[p] - previous;
                changeOut[row] = delta;
                pctChangeOut[row] = previous == 0 ? Double.NaN : delta / previous * 100.0;
            }
        }
    }
}

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
     * {@code speed_roll_{mean,std,min,max}_<size>} into {@code mean, std, min, max} for rows {@code [from, to)}.
     * Two rows per iteration: their sums are independent chains of additions, so the processor overlaps them; the
     * additions of each row keep the order of a plain loop, so the values are the same bits.
     */
    static void rolling(EdgeGroups groups, int size, double[] meanOut, double[] stdOut, double[] minOut,
                        double[] maxOut, int from, int to) {
        int[] groupStart = groups.groupStart;
        double[] speed = groups.speedAt;
        int[] positionOf = groups.positionOf;
        int[] edgeOf = groups.edgeOfRow;
        int row = from;
        for (; row + 1 < to; row += 2) {
            int p1 = positionOf[row];
            int p2 = positionOf[row + 1];
            if (p1 - groupStart[edgeOf[row]] + 1 < size || p2 - groupStart[edgeOf[row + 1]] + 1 < size) {
                rollingRow(speed, groupStart, edgeOf, positionOf, size, row, meanOut, stdOut, minOut, maxOut);
                rollingRow(speed, groupStart, edgeOf, positionOf, size, row + 1, meanOut, stdOut, minOut, maxOut);
                continue;
            }
            double sum1 = 0;
            double sum2 = 0;
            double min1 = Double.POSITIVE_INFINITY;
            double min2 = Double.POSITIVE_INFINITY;
            double max1 = Double.NEGATIVE_INFINITY;
            double max2 = Double.NEGATIVE_INFINITY;
            int first1 = p1 - size + 1;
            int first2 = p2 - size + 1;
            for (int i = 0; i < size; i++) {
                double v1 = speed[first1 + i];
                double v2 = speed[first2 + i];
                sum1 += v1;
                sum2 += v2;
                min1 = Math.min(min1, v1);
                min2 = Math.min(min2, v2);
                max1 = Math.max(max1, v1);
                max2 = Math.max(max2, v2);
            }
            double mean1 = sum1 / size;
            double mean2 = sum2 / size;
            double squares1 = 0;
            double squares2 = 0;
            for (int i = 0; i < size; i++) {
                double d1 = speed[first1 + i] - mean1;
                double d2 = speed[first2 + i] - mean2;
                squares1 += d1 * d1;
                squares2 += d2 * d2;
            }
            meanOut[row] = mean1;
            meanOut[row + 1] = mean2;
            stdOut[row] = Math.sqrt(squares1 / (size - 1));
            stdOut[row + 1] = Math.sqrt(squares2 / (size - 1));
            minOut[row] = min1;
            minOut[row + 1] = min2;
            maxOut[row] = max1;
            maxOut[row + 1] = max2;
        }
        if (row < to) {
            rollingRow(speed, groupStart, edgeOf, positionOf, size, row, meanOut, stdOut, minOut, maxOut);
        }
    }

    private static void rollingRow(double[] speed, int[] groupStart, int[] edgeOf, int[] positionOf, int size,
                                   int row, double[] meanOut, double[] stdOut, double[] minOut, double[] maxOut) {
        int p = positionOf[row];
        if (p - groupStart[edgeOf[row]] + 1 < size) {
            meanOut[row] = Double.NaN;
            stdOut[row] = Double.NaN;
            minOut[row] = Double.NaN;
            maxOut[row] = Double.NaN;
            return;
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = p - size + 1; i <= p; i++) {
            double v = speed[i];
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / size;
        double squares = 0;
        for (int i = p - size + 1; i <= p; i++) {
            double d = speed[i] - mean;
            squares += d * d;
        }
        meanOut[row] = mean;
        stdOut[row] = Math.sqrt(squares / (size - 1));
        minOut[row] = min;
        maxOut[row] = max;
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

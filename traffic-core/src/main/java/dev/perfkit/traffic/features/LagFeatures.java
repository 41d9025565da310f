package dev.perfkit.traffic.features;

import java.util.ArrayList;
import java.util.List;

/**
 * Lags, rolling statistics and changes per edge in time order: see the catalogue in {@link FeatureEngineer}. Each
 * method is one pass over a range of rows that writes its columns sequentially: lags (all of them in one pass) walk
 * the rows by time (see {@link EdgeGroups}) for their forward pointers; rolling statistics and changes need no state
 * and walk the rows in order. Passes and ranges are independent, so they may run on different threads.
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
     * The lag columns {@code out[l]} ({@code speed_lag_<lagSec[l] / 60>m}) for the rows at steps {@code [from, to)}
     * of the walk by time, in one pass: per lag, one forward pointer per edge to its latest observation at least the
     * lag ago, started by binary search so that ranges are independent. The lags share the walk (row, position,
     * edge and time are read once per row for all of them).
     */
    static void lags(EdgeGroups groups, long[] lagSec, long[] toleranceSec, double[][] out, int from, int to) {
        if (from >= to) {
            return;
        }
        int[] groupStart = groups.groupStart;
        long[] time = groups.timeAt;
        double[] speed = groups.speedAt;
        int[] positionOf = groups.positionOf;
        int[] edgeOf = groups.edgeOfRow;
        int edges = groupStart.length - 1;
        int lagCount = lagSec.length;
        // pointer[e * lagCount + l]: edge e's pointer for lag l, the lags of one edge side by side.
        int[] pointer = new int[edges * lagCount];
        long firstTime = time[positionOf[groups.rowAt(from)]];
        for (int e = 0; e < edges; e++) {
            for (int l = 0; l < lagCount; l++) {
                // Below every target of the range; the positions it can reach are all earlier than the range's rows.
                pointer[e * lagCount + l] = SpatialFeatures.lastBefore(time, groupStart[e], groupStart[e + 1],
                        firstTime - lagSec[l]);
            }
        }
        for (int k = from; k < to; k++) {
            int row = groups.rowAt(k);
            int p = positionOf[row];
            int e = edgeOf[row];
            int begin = groupStart[e];
            long t = time[p];
            for (int l = 0, slot = e * lagCount; l < lagCount; l++, slot++) {
                long target = t - lagSec[l];
                int q = pointer[slot];
                while (q + 1 < p && time[q + 1] <= target) {
                    q++;
                }
                pointer[slot] = q;
                boolean inWindow = q >= begin && time[q] >= target - toleranceSec[l];
                out[l][row] = inWindow ? speed[q] : Double.NaN;
            }
        }
    }

    /**
     * Every rolling window at once for rows {@code [from, to)}: {@code out[w]} holds the mean, std, min and max
     * columns of window {@code windows[w]}. Sums and squares keep the order of a plain loop per window, oldest
     * observation first, so the values are the same bits as a row-at-a-time loop; minimum and maximum do not depend
     * on the order of their operands. For any windows ({@link #rollingAny}) minimum and maximum are taken once over
     * the largest window, backwards from the row, and read off at each window's size (12 steps for windows 3, 6 and
     * 12 instead of 21).
     *
     * <p>Three windows of different sizes (the default, 3, 6 and 12) take {@link #rollingThree}: one forward pass
     * over the largest window for all three.
     */
    static void rolling(EdgeGroups groups, int[] windows, double[][][] out, int from, int to) {
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
        if (count == 3 && windows[bySize[0]] < windows[bySize[1]] && windows[bySize[1]] < windows[bySize[2]]) {
            rollingThree(groups, windows, bySize, out, from, to);
        } else {
            rollingAny(groups, windows, bySize, out, from, to, new double[count], new double[count]);
        }
    }

    /**
     * Three windows {@code a < b < c} in one forward pass per row over the last c observations, in three segments
     * (the oldest c - b, then b - a, then the newest a): every segment adds its values to the sums of the windows it
     * belongs to, each sum still in the order of a plain loop from its oldest value, and takes its own minimum and
     * maximum, combined newest first into those of each window. Then the squares in the same segments.
     *
     * <p>Minimum and maximum are taken on the doubles' bits as signed longs, with the negative values' magnitude
     * bits flipped ({@link #orderKey}): for every double but NaN that order is the order of {@link Math#min} and
     * {@link Math#max} ({@code -0.0} below {@code 0.0}), and a long minimum is a conditional move where a double one
     * is several instructions. A window with a NaN (its sum is NaN) is computed again by {@link #rollingAny}, as is
     * a row with fewer than c observations.
     */
    private static void rollingThree(EdgeGroups groups, int[] windows, int[] bySize, double[][][] out, int from,
                                     int to) {
        int[] groupStart = groups.groupStart;
        double[] speed = groups.speedAt;
        int[] positionOf = groups.positionOf;
        int[] edgeOf = groups.edgeOfRow;
        int a = windows[bySize[0]];
        int b = windows[bySize[1]];
        int c = windows[bySize[2]];
        double[][] colsA = out[bySize[0]];
        double[][] colsB = out[bySize[1]];
        double[][] colsC = out[bySize[2]];
        double[] meanA = colsA[0];
        double[] stdA = colsA[1];
        double[] minA = colsA[2];
        double[] maxA = colsA[3];
        double[] meanB = colsB[0];
        double[] stdB = colsB[1];
        double[] minB = colsB[2];
        double[] maxB = colsB[3];
        double[] meanC = colsC[0];
        double[] stdC = colsC[1];
        double[] minC = colsC[2];
        double[] maxC = colsC[3];
        double[] minAt = new double[3]; // scratch of rollingAny for the rows it takes
        double[] maxAt = new double[3];
        for (int row = from; row < to; row++) {
            int p = positionOf[row];
            if (p - groupStart[edgeOf[row]] + 1 < c) {
                rollingAny(groups, windows, bySize, out, row, row + 1, minAt, maxAt);
                continue;
            }
            int startC = p - c + 1;
            int startB = p - b + 1;
            int startA = p - a + 1;
            double sumA = 0;
            double sumB = 0;
            double sumC = 0;
            long lowA = Long.MAX_VALUE;
            long lowB = Long.MAX_VALUE;
            long lowC = Long.MAX_VALUE;
            long highA = Long.MIN_VALUE;
            long highB = Long.MIN_VALUE;
            long highC = Long.MIN_VALUE;
            for (int i = startC; i < startB; i++) {
                double v = speed[i];
                long key = orderKey(v);
                sumC += v;
                lowC = Math.min(lowC, key);
                highC = Math.max(highC, key);
            }
            for (int i = startB; i < startA; i++) {
                double v = speed[i];
                long key = orderKey(v);
                sumC += v;
                sumB += v;
                lowB = Math.min(lowB, key);
                highB = Math.max(highB, key);
            }
            for (int i = startA; i <= p; i++) {
                double v = speed[i];
                long key = orderKey(v);
                sumC += v;
                sumB += v;
                sumA += v;
                lowA = Math.min(lowA, key);
                highA = Math.max(highA, key);
            }
            if (Double.isNaN(sumC)) { // a NaN in the window (or infinities of both signs): the plain loops
                rollingAny(groups, windows, bySize, out, row, row + 1, minAt, maxAt);
                continue;
            }
            double averageA = sumA / a;
            double averageB = sumB / b;
            double averageC = sumC / c;
            double squaresA = 0;
            double squaresB = 0;
            double squaresC = 0;
            for (int i = startC; i < startB; i++) {
                double d = speed[i] - averageC;
                squaresC += d * d;
            }
            for (int i = startB; i < startA; i++) {
                double v = speed[i];
                double dC = v - averageC;
                double dB = v - averageB;
                squaresC += dC * dC;
                squaresB += dB * dB;
            }
            for (int i = startA; i <= p; i++) {
                double v = speed[i];
                double dC = v - averageC;
                double dB = v - averageB;
                double dA = v - averageA;
                squaresC += dC * dC;
                squaresB += dB * dB;
                squaresA += dA * dA;
            }
            lowB = Math.min(lowB, lowA);
            highB = Math.max(highB, highA);
            meanA[row] = averageA;
            stdA[row] = Math.sqrt(squaresA / (a - 1));
            minA[row] = fromOrderKey(lowA);
            maxA[row] = fromOrderKey(highA);
            meanB[row] = averageB;
            stdB[row] = Math.sqrt(squaresB / (b - 1));
            minB[row] = fromOrderKey(lowB);
            maxB[row] = fromOrderKey(highB);
            meanC[row] = averageC;
            stdC[row] = Math.sqrt(squaresC / (c - 1));
            minC[row] = fromOrderKey(Math.min(lowC, lowB));
            maxC[row] = fromOrderKey(Math.max(highC, highB));
        }
    }

    /**
     * A long whose signed order is the order of the non-NaN doubles, {@code -0.0} below {@code 0.0}: the bits, with
     * those after the sign flipped for a negative value.
     */
    static long orderKey(double v) {
        long bits = Double.doubleToRawLongBits(v);
        return bits ^ ((bits >> 63) >>> 1);
    }

    /** The double of an {@link #orderKey}. */
    static double fromOrderKey(long key) {
        return Double.longBitsToDouble(key ^ ((key >> 63) >>> 1));
    }

    /**
     * {@link #rolling} for any windows, {@code bySize} their indexes smallest first; {@code minAt} and {@code maxAt}
     * are scratch arrays of one slot per window.
     */
    private static void rollingAny(EdgeGroups groups, int[] windows, int[] bySize, double[][][] out, int from,
                                   int to, double[] minAt, double[] maxAt) {
        int[] groupStart = groups.groupStart;
        double[] speed = groups.speedAt;
        int[] positionOf = groups.positionOf;
        int[] edgeOf = groups.edgeOfRow;
        int count = windows.length;
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

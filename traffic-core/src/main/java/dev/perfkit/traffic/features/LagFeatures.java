package dev.perfkit.traffic.features;

import java.util.ArrayList;
import java.util.List;

/** Lags, rolling statistics and changes per edge in time order: see the catalogue in {@link FeatureEngineer}. */
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

    static void compute(EdgeGroups groups, FeatureConfig config, double[][] out, int firstColumn) {
        int[] lagMinutes = config.lagMinutes();
        int[] windows = config.rollingWindows();
        long[] lagSec = new long[lagMinutes.length];
        long[] lagToleranceSec = new long[lagMinutes.length];
        for (int l = 0; l < lagMinutes.length; l++) {
            lagSec[l] = lagMinutes[l] * 60L;
            lagToleranceSec[l] = Math.round(lagSec[l] * config.lagTolerance());
        }
        int rollingFirst = firstColumn + lagMinutes.length;
        int changeCol = rollingFirst + 4 * windows.length;
        double[] change = out[changeCol];
        double[] pctChange = out[changeCol + 1];
        int[] order = groups.order;
        long[] time = groups.timeAt;
        double[] speed = groups.speedAt;
        int[] pointer = new int[lagMinutes.length];
        int edges = groups.groupStart.length - 1;
        for (int e = 0; e < edges; e++) {
            int start = groups.groupStart[e];
            int end = groups.groupStart[e + 1];
            for (int l = 0; l < pointer.length; l++) {
                pointer[l] = start - 1; // latest position with time <= target, none yet
            }
            for (int p = start; p < end; p++) {
                int row = order[p];
                long t = time[p];
                for (int l = 0; l < lagSec.length; l++) {
                    long target = t - lagSec[l];
                    int q = pointer[l];
                    while (q + 1 < p && time[q + 1] <= target) {
                        q++;
                    }
                    pointer[l] = q;
                    boolean inWindow = q >= start && time[q] >= target - lagToleranceSec[l];
                    out[firstColumn + l][row] = inWindow ? speed[q] : Double.NaN;
                }
                for (int w = 0; w < windows.length; w++) {
                    int size = windows[w];
                    int col = rollingFirst + 4 * w;
                    if (p - start + 1 < size) {
                        out[col][row] = Double.NaN;
                        out[col + 1][row] = Double.NaN;
                        out[col + 2][row] = Double.NaN;
                        out[col + 3][row] = Double.NaN;
                        continue;
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
                    out[col][row] = mean;
                    out[col + 1][row] = Math.sqrt(squares / (size - 1));
                    out[col + 2][row] = min;
                    out[col + 3][row] = max;
                }
                if (p == start) {
                    change[row] = Double.NaN;
                    pctChange[row] = Double.NaN;
                } else {
                    double previous = speed[p - 1];
                    double delta = speed[p] - previous;
                    change[row] = delta;
                    pctChange[row] = previous == 0 ? Double.NaN : delta / previous * 100.0;
                }
            }
        }
    }
}

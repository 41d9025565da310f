package dev.perfkit.traffic.features;

import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.TrafficColumns;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * The row-at-a-time feature implementation that {@link FeatureEngineer} had before its column passes, kept unchanged
 * as the reference the tests compare the engine's output against, value for value.
 */
final class ReferenceFeatures {

    private ReferenceFeatures() {
    }

    /** Every feature column, in catalogue order, as the engine computed them before. */
    static double[][] build(FeatureEngineer engineer, TrafficColumns columns) {
        FeatureConfig config = engineer.config();
        int n = columns.size();
        int[] edge = columns.edgeIndexes();
        long[] epochSecond = columns.epochSeconds();
        double[] speed = columns.speedsKmh();
        double[][] values = new double[engineer.catalogue().size()][n];
        int c = 0;
        for (int row = 0; row < n; row++) {
            values[0][row] = edge[row];
            values[1][row] = epochSecond[row];
            values[2][row] = speed[row];
            values[3][row] = columns.distanceKm(row);
            values[4][row] = columns.durationSec(row);
        }
        c += 5;
        temporal(epochSecond, config.holidays(), config.zone(), values, c);
        c += TemporalFeatures.COLUMNS;
        EdgeGroups groups = EdgeGroups.of(edge, epochSecond, speed, columns.edgeCount());
        int[][] neighbours = SpatialFeatures.neighbours(columns.network(), config);
        spatial(columns.networkEdgeCount(), neighbours, groups, config, values, c);
        c += SpatialFeatures.COLUMNS;
        lag(groups, config, values, c);
        return values;
    }

    private static final double TWO_PI = 2.0 * Math.PI;
    private static final double[] HOUR_SIN = new double[24];
    private static final double[] HOUR_COS = new double[24];
    private static final double[] DOW_SIN = new double[7];
    private static final double[] DOW_COS = new double[7];
    private static final double[] MONTH_SIN = new double[13];
    private static final double[] MONTH_COS = new double[13];

    static {
        for (int h = 0; h < 24; h++) {
            HOUR_SIN[h] = Math.sin(TWO_PI * h / 24.0);
            HOUR_COS[h] = Math.cos(TWO_PI * h / 24.0);
        }
        for (int d = 0; d < 7; d++) {
            DOW_SIN[d] = Math.sin(TWO_PI * d / 7.0);
            DOW_COS[d] = Math.cos(TWO_PI * d / 7.0);
        }
        for (int m = 1; m <= 12; m++) {
            MONTH_SIN[m] = Math.sin(TWO_PI * m / 12.0);
            MONTH_COS[m] = Math.cos(TWO_PI * m / 12.0);
        }
    }
    private static final int[] NONE = new int[0];

    static void temporal(long[] epochSecond, HolidayCalendar holidays, ZoneId zone, double[][] out, int firstColumn) {
        ZoneRules rules = zone.getRules();
        double[] hourCol = out[firstColumn];
        double[] dowCol = out[firstColumn + 1];
        double[] monthCol = out[firstColumn + 2];
        double[] weekendCol = out[firstColumn + 3];
        double[] hourSin = out[firstColumn + 4];
        double[] hourCos = out[firstColumn + 5];
        double[] dowSin = out[firstColumn + 6];
        double[] dowCos = out[firstColumn + 7];
        double[] monthSin = out[firstColumn + 8];
        double[] monthCos = out[firstColumn + 9];
        double[] morning = out[firstColumn + 10];
        double[] lunch = out[firstColumn + 11];
        double[] evening = out[firstColumn + 12];
        double[] rush = out[firstColumn + 13];
        double[] offPeak = out[firstColumn + 14];
        double[] holiday = out[firstColumn + 15];

        long cachedDay = Long.MIN_VALUE;
        int month = 0;
        double isHoliday = 0;
        for (int row = 0; row < epochSecond.length; row++) {
            long t = CityTime.localEpochSecond(epochSecond[row], rules);
            long epochDay = Math.floorDiv(t, 86_400L);
            int hour = (int) (Math.floorMod(t, 86_400L) / 3600);
            int dow = (int) Math.floorMod(epochDay + 3, 7L); // 1970-01-01 was a Thursday (3 with Monday = 0)
            if (epochDay != cachedDay) {
                LocalDate date = LocalDate.ofEpochDay(epochDay);
                month = date.getMonthValue();
                isHoliday = holidays.isHoliday(date) ? 1 : 0;
                cachedDay = epochDay;
            }
            boolean isMorning = hour >= 7 && hour < 9;
            boolean isLunch = hour >= 11 && hour < 13;
            boolean isEvening = hour >= 17 && hour < 19;
            hourCol[row] = hour;
            dowCol[row] = dow;
            monthCol[row] = month;
            weekendCol[row] = dow >= 5 ? 1 : 0;
            hourSin[row] = HOUR_SIN[hour];
            hourCos[row] = HOUR_COS[hour];
            dowSin[row] = DOW_SIN[dow];
            dowCos[row] = DOW_COS[dow];
            monthSin[row] = MONTH_SIN[month];
            monthCos[row] = MONTH_COS[month];
            morning[row] = isMorning ? 1 : 0;
            lunch[row] = isLunch ? 1 : 0;
            evening[row] = isEvening ? 1 : 0;
            rush[row] = isMorning || isEvening ? 1 : 0;
            offPeak[row] = isMorning || isLunch || isEvening ? 0 : 1;
            holiday[row] = isHoliday;
        }
    }

    static void spatial(int networkEdges, int[][] neighbours, EdgeGroups groups, FeatureConfig config,
                        double[][] out, int firstColumn) {
        double[] countCol = out[firstColumn];
        double[] meanCol = out[firstColumn + 1];
        double[] minCol = out[firstColumn + 2];
        double[] maxCol = out[firstColumn + 3];
        double[] stdCol = out[firstColumn + 4];
        double[] diffCol = out[firstColumn + 5];
        double[] bottleneckCol = out[firstColumn + 6];
        long tolerance = config.spatialToleranceSec();
        double threshold = config.bottleneckThresholdKmh();
        int maxDegree = 0;
        for (int[] list : neighbours) {
            maxDegree = Math.max(maxDegree, list.length);
        }
        double[] found = new double[maxDegree];
        int[] pointer = new int[maxDegree];
        int[] order = groups.order;
        int[] groupStart = groups.groupStart;
        long[] time = groups.timeAt;
        double[] speedAt = groups.speedAt;
        int edges = groupStart.length - 1;
        for (int e = 0; e < edges; e++) {
            int start = groupStart[e];
            int end = groupStart[e + 1];
            int[] nbs = e < networkEdges ? neighbours[e] : NONE;
            for (int j = 0; j < nbs.length; j++) {
                pointer[j] = groupStart[nbs[j]] - 1; // latest position with time <= t; none yet
            }
            for (int p = start; p < end; p++) {
                long t = time[p];
                int count = 0;
                for (int j = 0; j < nbs.length; j++) {
                    int nbStart = groupStart[nbs[j]];
                    int nbEnd = groupStart[nbs[j] + 1];
                    int q = pointer[j];
                    while (q + 1 < nbEnd && time[q + 1] <= t) {
                        q++;
                    }
                    pointer[j] = q;
                    int best = -1;
                    long bestGap = Long.MAX_VALUE;
                    if (q >= nbStart) {
                        best = q;
                        bestGap = t - time[q];
                    }
                    if (q + 1 < nbEnd && time[q + 1] - t < bestGap) { // ties go to the earlier observation
                        best = q + 1;
                        bestGap = time[q + 1] - t;
                    }
                    if (best >= 0 && bestGap <= tolerance && !Double.isNaN(speedAt[best])) {
                        found[count++] = speedAt[best];
                    }
                }
                int row = order[p];
                countCol[row] = count;
                if (count == 0) {
                    meanCol[row] = Double.NaN;
                    minCol[row] = Double.NaN;
                    maxCol[row] = Double.NaN;
                    stdCol[row] = Double.NaN;
                    diffCol[row] = Double.NaN;
                    bottleneckCol[row] = Double.NaN;
                    continue;
                }
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < count; i++) {
                    sum += found[i];
                    min = Math.min(min, found[i]);
                    max = Math.max(max, found[i]);
                }
                double mean = sum / count;
                double std = Double.NaN;
                if (count >= 2) {
                    double squares = 0;
                    for (int i = 0; i < count; i++) {
                        double d = found[i] - mean;
                        squares += d * d;
                    }
                    std = Math.sqrt(squares / (count - 1));
                }
                double diff = speedAt[p] - mean;
                meanCol[row] = mean;
                minCol[row] = min;
                maxCol[row] = max;
                stdCol[row] = std;
                diffCol[row] = diff;
                bottleneckCol[row] = Double.isNaN(diff) ? Double.NaN : (diff < threshold ? 1 : 0);
            }
        }
    }

    static void lag(EdgeGroups groups, FeatureConfig config, double[][] out, int firstColumn) {
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

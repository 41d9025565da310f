package dev.perfkit.traffic.forecast;

import dev.perfkit.traffic.model.CityTime;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Mean speed per edge and time-of-day bin (local time of Ho Chi Minh City), over every observation so far. It takes
 * part only once the history spans at least {@code minDistinctDays} distinct local days: before that, and for a bin without observations,
 * {@link #predict} returns NaN and the caller falls back to another model. Not thread-safe.
 */
public final class TimeOfDayProfile implements SpeedModel {

    /** Days and times of day are the city's (a day starts at local midnight). */
    private static final ZoneRules CITY_RULES = CityTime.DEFAULT_ZONE.getRules();


    private final int edgeCount;
    private final int binSeconds;
    private final int bins;
    private final int minDistinctDays;
    private final double[] sumKmh;
    private final int[] count;
    /** sumKmh / count per slot, kept on every observation (the same bits as dividing at each read); NaN when empty. */
    private final double[] meanKmh;
    /** The bin of the latest instant asked for by {@link #binOfRepeated}; immutable, so racy reads are safe. */
    private BinMemo binMemo = new BinMemo(Long.MIN_VALUE, 0);
    private final BitSet daysSeen = new BitSet();
    private long firstDay = Long.MIN_VALUE;
    private int distinctDays;

    /**
     * @param edgeCount       number of edges, >= 0
     * @param binMinutes      bin width in minutes, a divisor of 1440 in [5, 240]
     * @param minDistinctDays days of history needed before the profile takes part, >= 1
     */
    public TimeOfDayProfile(int edgeCount, int binMinutes, int minDistinctDays) {
        if (edgeCount < 0) {
            throw new IllegalArgumentException("edgeCount must be >= 0, got " + edgeCount);
        }
        if (binMinutes < 5 || binMinutes > 240 || 1440 % binMinutes != 0) {
            throw new IllegalArgumentException("binMinutes must divide 1440 and be in [5, 240], got " + binMinutes);
        }
        if (minDistinctDays < 1) {
            throw new IllegalArgumentException("minDistinctDays must be >= 1, got " + minDistinctDays);
        }
        this.edgeCount = edgeCount;
        this.binSeconds = binMinutes * 60;
        this.bins = 1440 / binMinutes;
        this.minDistinctDays = minDistinctDays;
        this.sumKmh = new double[edgeCount * bins];
        this.count = new int[edgeCount * bins];
        this.meanKmh = new double[edgeCount * bins];
        Arrays.fill(meanKmh, Double.NaN);
    }

    @Override
    public String name() {
        return "time_of_day_profile";
    }

    @Override
    public int edgeCount() {
        return edgeCount;
    }

    /** Distinct local days (of the city) observed so far. */
    public int distinctDays() {
        return distinctDays;
    }

    public int minDistinctDays() {
        return minDistinctDays;
    }

    /** True once the history spans {@code minDistinctDays} days. */
    public boolean isActive() {
        return distinctDays >= minDistinctDays;
    }

    @Override
    public void observe(int edge, long epochSecond, double speedKmh) {
        if (edge < 0 || edge >= edgeCount) {
            throw new IndexOutOfBoundsException("edge " + edge + " outside [0, " + edgeCount + ")");
        }
        if (Double.isNaN(speedKmh)) {
            return;
        }
        int slot = edge * bins + bin(epochSecond);
        sumKmh[slot] += speedKmh;
        count[slot]++;
        meanKmh[slot] = sumKmh[slot] / count[slot];
        markDay(Math.floorDiv(CityTime.localEpochSecond(epochSecond, CITY_RULES), 86_400L));
    }

    @Override
    public double predict(int edge, long targetEpochSecond) {
        if (distinctDays < minDistinctDays) {
            return Double.NaN;
        }
        return meanKmh[edge * bins + bin(targetEpochSecond)];
    }

    /** The time-of-day bin of an instant (UTC epoch seconds), in the city's local time. */
    int binOf(long epochSecond) {
        return bin(epochSecond);
    }

    /**
     * {@link #binOf}, remembering the last instant asked for: a caller that asks for the same target again and again
     * (single predictions between two observations) skips the zone lookup and the divisions. Allocates only when the
     * instant changes.
     */
    int binOfRepeated(long epochSecond) {
        BinMemo memo = binMemo;
        if (memo.epochSecond == epochSecond) {
            return memo.bin;
        }
        int bin = bin(epochSecond);
        binMemo = new BinMemo(epochSecond, bin);
        return bin;
    }

    /** The number of bins per day; slot {@code edge * bins() + bin} of {@link #means()} is one edge's bin. */
    int bins() {
        return bins;
    }

    /**
     * The live array of means per slot ({@code edge * bins() + bin}), NaN for an empty slot, whether or not the profile
     * is active (see {@link #isActive()}); for the forecaster's loops. Callers must not write to it.
     */
    double[] means() {
        return meanKmh;
    }

    private record BinMemo(long epochSecond, int bin) {
    }

    private int bin(long epochSecond) {
        return (int) (Math.floorMod(CityTime.localEpochSecond(epochSecond, CITY_RULES), 86_400L) / binSeconds);
    }

    private void markDay(long day) {
        if (firstDay == Long.MIN_VALUE) {
            firstDay = day;
        }
        if (day < firstDay) { // rare: history fed out of order; re-base the bit set
            BitSet shifted = new BitSet();
            int offset = (int) (firstDay - day);
            daysSeen.stream().forEach(i -> shifted.set(i + offset));
            daysSeen.clear();
            daysSeen.or(shifted);
            firstDay = day;
        }
        int index = (int) (day - firstDay);
        if (!daysSeen.get(index)) {
            daysSeen.set(index);
            distinctDays++;
        }
    }
}

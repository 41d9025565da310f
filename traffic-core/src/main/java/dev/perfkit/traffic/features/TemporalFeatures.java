package dev.perfkit.traffic.features;

import dev.perfkit.traffic.model.CityTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Temporal features from epoch seconds by integer arithmetic, in the local time of the configured zone
 * ({@link FeatureConfig#zone()}, Ho Chi Minh City by default).
 *
 * <p>Two steps. {@link #calendar} reads the epoch seconds once and keeps, per row, hour, day of week, month and the
 * holiday flag in four byte arrays (4 bytes a row); the zone's offset is looked up once when it does not change over
 * the rows' time span (Ho Chi Minh City: UTC+7 since 1975), else per row; month and holiday once per distinct day in
 * a run of rows. {@link #fill} then writes one output column from those bytes in a sequential loop. One column at a
 * time, not one row of 16 columns at a time: 16 interleaved write streams over large arrays thrash the cache and the
 * TLB, a single stream runs at memory speed.
 */
final class TemporalFeatures {

    static final int COLUMNS = 16;

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

    private TemporalFeatures() {
    }

    /** Per row: local hour 0-23, day of week 0 (Monday) - 6, month 1-12 and 1 on a holiday. */
    record Calendar(byte[] hour, byte[] dayOfWeek, byte[] month, byte[] holiday) {
        Calendar(int rows) {
            this(new byte[rows], new byte[rows], new byte[rows], new byte[rows]);
        }
    }

    /**
     * Fills rows {@code [from, to)} of {@code into} from UTC epoch seconds, in {@code zone}'s local time.
     * Rows may be in any order; runs of rows on the same local day share one date computation.
     */
    static void calendar(long[] epochSecond, int from, int to, HolidayCalendar holidays, ZoneId zone,
                         Calendar into) {
        if (from >= to) {
            return;
        }
        ZoneRules rules = zone.getRules();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int row = from; row < to; row++) {
            min = Math.min(min, epochSecond[row]);
            max = Math.max(max, epochSecond[row]);
        }
        boolean fixed = isFixedOver(rules, min, max);
        long fixedOffset = fixed ? CityTime.localEpochSecond(min, rules) - min : 0;
        byte[] hourOut = into.hour();
        byte[] dowOut = into.dayOfWeek();
        byte[] monthOut = into.month();
        byte[] holidayOut = into.holiday();
        long cachedDay = Long.MIN_VALUE;
        byte month = 0;
        byte isHoliday = 0;
        long previous = 0;
        byte hour = 0;
        byte dow = 0;
        for (int row = from; row < to; row++) {
            long utc = epochSecond[row];
            if (row == from || utc != previous) { // rows of one collection run share their time
                previous = utc;
                long t = fixed ? utc + fixedOffset : CityTime.localEpochSecond(utc, rules);
                long epochDay = Math.floorDiv(t, 86_400L);
                int secondOfDay = (int) (t - epochDay * 86_400L);
                if (epochDay != cachedDay) {
                    LocalDate date = LocalDate.ofEpochDay(epochDay);
                    month = (byte) date.getMonthValue();
                    isHoliday = (byte) (holidays.isHoliday(date) ? 1 : 0);
                    cachedDay = epochDay;
                }
                hour = (byte) (secondOfDay / 3600);
                dow = (byte) Math.floorMod(epochDay + 3, 7L); // 1970-01-01 was a Thursday (3 with Monday = 0)
            }
            hourOut[row] = hour;
            dowOut[row] = dow;
            monthOut[row] = month;
            holidayOut[row] = isHoliday;
        }
    }

    /** Whether the zone's offset is the same at every instant of {@code [min, max]} (UTC epoch seconds). */
    private static boolean isFixedOver(ZoneRules rules, long min, long max) {
        if (rules.isFixedOffset()) {
            return true;
        }
        ZoneOffsetTransition next = rules.nextTransition(Instant.ofEpochSecond(min));
        return (next == null || next.toEpochSecond() > max)
                && rules.getOffset(Instant.ofEpochSecond(min)).equals(rules.getOffset(Instant.ofEpochSecond(max)));
    }

    /**
     * Writes rows {@code [from, to)} of temporal column {@code index} (0 = hour .. 15 = is_holiday, catalogue order)
     * into {@code out}.
     */
    static void fill(int index, Calendar cal, int from, int to, double[] out) {
        byte[] hour = cal.hour();
        byte[] dow = cal.dayOfWeek();
        byte[] month = cal.month();
        switch (index) {
            case 0 -> {
                for (int r = from; r < to; r++) {
                    out[r] = hour[r];
                }
            }
            case 1 -> {
                for (int r = from; r < to; r++) {
                    out[r] = dow[r];
                }
            }
            case 2 -> {
                for (int r = from; r < to; r++) {
                    out[r] = month[r];
                }
            }
            case 3 -> {
                for (int r = from; r < to; r++) {
                    out[r] = dow[r] >= 5 ? 1 : 0;
                }
            }
            case 4 -> lookup(HOUR_SIN, hour, from, to, out);
            case 5 -> lookup(HOUR_COS, hour, from, to, out);
            case 6 -> lookup(DOW_SIN, dow, from, to, out);
            case 7 -> lookup(DOW_COS, dow, from, to, out);
            case 8 -> lookup(MONTH_SIN, month, from, to, out);
            case 9 -> lookup(MONTH_COS, month, from, to, out);
            case 10 -> lookup(MORNING, hour, from, to, out);
            case 11 -> lookup(LUNCH, hour, from, to, out);
            case 12 -> lookup(EVENING, hour, from, to, out);
            case 13 -> lookup(RUSH, hour, from, to, out);
            case 14 -> lookup(OFF_PEAK, hour, from, to, out);
            case 15 -> {
                byte[] holiday = cal.holiday();
                for (int r = from; r < to; r++) {
                    out[r] = holiday[r];
                }
            }
            default -> throw new IllegalArgumentException("temporal column " + index + " outside [0, " + COLUMNS + ")");
        }
    }

    private static void lookup(double[] table, byte[] key, int from, int to, double[] out) {
        for (int r = from; r < to; r++) {
            out[r] = table[key[r]];
        }
    }

    /** Flags by hour of day: 7 <= hour < 9, 11 <= hour < 13, 17 <= hour < 19, morning or evening, none of the three. */
    private static final double[] MORNING = new double[24];
    private static final double[] LUNCH = new double[24];
    private static final double[] EVENING = new double[24];
    private static final double[] RUSH = new double[24];
    private static final double[] OFF_PEAK = new double[24];

    static {
        for (int hour = 0; hour < 24; hour++) {
            boolean isMorning = hour >= 7 && hour < 9;
            boolean isLunch = hour >= 11 && hour < 13;
            boolean isEvening = hour >= 17 && hour < 19;
            MORNING[hour] = isMorning ? 1 : 0;
            LUNCH[hour] = isLunch ? 1 : 0;
            EVENING[hour] = isEvening ? 1 : 0;
            RUSH[hour] = isMorning || isEvening ? 1 : 0;
            OFF_PEAK[hour] = isMorning || isLunch || isEvening ? 0 : 1;
        }
    }

    static List<FeatureColumn> catalogue() {
        return List.of(
                new FeatureColumn("hour", "temporal", "hour of day in the city's zone, 0-23", "h"),
                new FeatureColumn("day_of_week", "temporal", "day of week, 0 = Monday .. 6 = Sunday", "day"),
                new FeatureColumn("month", "temporal", "month of year, 1-12", "month"),
                new FeatureColumn("is_weekend", "temporal", "1 on Saturday and Sunday", "0/1"),
                new FeatureColumn("hour_sin", "temporal", "sin(2 pi hour / 24)", "1"),
                new FeatureColumn("hour_cos", "temporal", "cos(2 pi hour / 24)", "1"),
                new FeatureColumn("dow_sin", "temporal", "sin(2 pi day_of_week / 7)", "1"),
                new FeatureColumn("dow_cos", "temporal", "cos(2 pi day_of_week / 7)", "1"),
                new FeatureColumn("month_sin", "temporal", "sin(2 pi month / 12)", "1"),
                new FeatureColumn("month_cos", "temporal", "cos(2 pi month / 12)", "1"),
                new FeatureColumn("is_morning_rush", "temporal", "1 when 7 <= hour < 9", "0/1"),
                new FeatureColumn("is_lunch_rush", "temporal", "1 when 11 <= hour < 13", "0/1"),
                new FeatureColumn("is_evening_rush", "temporal", "1 when 17 <= hour < 19", "0/1"),
                new FeatureColumn("is_rush_hour", "temporal", "1 in the morning or evening rush", "0/1"),
                new FeatureColumn("is_off_peak", "temporal", "1 outside the morning, lunch and evening rush", "0/1"),
                new FeatureColumn("is_holiday", "temporal", "1 on a day of the holiday calendar", "0/1"));
    }

}

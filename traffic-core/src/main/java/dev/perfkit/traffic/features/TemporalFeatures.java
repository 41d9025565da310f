package dev.perfkit.traffic.features;

import dev.perfkit.traffic.model.CityTime;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Temporal features from epoch seconds by integer arithmetic, in the local time of the configured zone
 * ({@link FeatureConfig#zone()}, Ho Chi Minh City by default). The calendar parts that need a date (month, holiday)
 * are computed once per distinct day in a run of rows, so rows in time order cost no allocation.
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

    /**
     * @param epochSecond UTC seconds since the epoch, one per row
     * @param zone        the zone whose calendar gives hour, day of week, month and holidays
     */
    static void compute(long[] epochSecond, HolidayCalendar holidays, ZoneId zone, double[][] out, int firstColumn) {
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
}

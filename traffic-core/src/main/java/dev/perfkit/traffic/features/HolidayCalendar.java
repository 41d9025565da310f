package dev.perfkit.traffic.features;

import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which days are public holidays, for the {@code is_holiday} feature. Immutable and thread-safe.
 *
 * <p>A calendar holds yearly fixed dates (month and day, every year) and explicit dates (for holidays that move,
 * such as Tet, which follows the lunisolar calendar).
 */
public final class HolidayCalendar {

    private static final HolidayCalendar NONE = new HolidayCalendar(Set.of(), Set.of());

    private final Set<MonthDay> yearly;
    private final Set<LocalDate> dates;

    private HolidayCalendar(Set<MonthDay> yearly, Set<LocalDate> dates) {
        this.yearly = Set.copyOf(yearly);
        this.dates = Set.copyOf(dates);
    }

    /** No holidays. */
    public static HolidayCalendar none() {
        return NONE;
    }

    /**
     * Vietnam's fixed-date public holidays: New Year (01-01), Reunification Day (04-30), Labour Day (05-01) and
     * National Day (09-02). Lunar holidays (Tet, Hung Kings' day) change every year: add them with
     * {@link #withDates(LocalDate...)}.
     */
    public static HolidayCalendar vietnamFixed() {
        return new HolidayCalendar(Set.of(MonthDay.of(1, 1), MonthDay.of(4, 30), MonthDay.of(5, 1),
                MonthDay.of(9, 2)), Set.of());
    }

    /** A calendar of the given yearly and explicit dates (either may be empty). */
    public static HolidayCalendar of(Collection<MonthDay> yearly, Collection<LocalDate> dates) {
        return new HolidayCalendar(new HashSet<>(yearly), new HashSet<>(dates));
    }

    /** This calendar plus the given explicit dates. */
    public HolidayCalendar withDates(LocalDate... extraDates) {
        Set<LocalDate> merged = new HashSet<>(dates);
        merged.addAll(Arrays.asList(extraDates));
        return new HolidayCalendar(yearly, merged);
    }

    public boolean isHoliday(LocalDate date) {
        return dates.contains(date) || yearly.contains(MonthDay.from(date));
    }

    @Override
    public String toString() {
        return "HolidayCalendar[yearly=" + yearly + ", dates=" + dates + "]";
    }
}

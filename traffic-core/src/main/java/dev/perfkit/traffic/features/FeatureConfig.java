package dev.perfkit.traffic.features;

import dev.perfkit.traffic.model.CityTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;

/**
 * Settings of {@link FeatureEngineer}. Immutable; build with {@link #builder()}, which starts from the defaults so
 * that setting one value keeps every other default.
 */
public final class FeatureConfig {

    /** How the neighbours of an edge are found for the spatial features. */
    public enum NeighbourMode {
        /** Edges sharing a node with the edge (in either direction). */
        GRAPH,
        /** Up to {@code maxNeighbours} edges whose midpoints lie within {@code neighbourRadiusKm} of its midpoint. */
        RADIUS
    }

    private static final FeatureConfig DEFAULTS = new Builder().build();

    private final int[] lagMinutes;
    private final double lagTolerance;
    private final int[] rollingWindows;
    private final HolidayCalendar holidays;
    private final ZoneId zone;
    private final NeighbourMode neighbourMode;
    private final double neighbourRadiusKm;
    private final int maxNeighbours;
    private final long spatialToleranceSec;
    private final double bottleneckThresholdKmh;

    private FeatureConfig(Builder b) {
        this.lagMinutes = b.lagMinutes.clone();
        this.lagTolerance = b.lagTolerance;
        this.rollingWindows = b.rollingWindows.clone();
        this.holidays = b.holidays;
        this.zone = b.zone;
        this.neighbourMode = b.neighbourMode;
        this.neighbourRadiusKm = b.neighbourRadiusKm;
        this.maxNeighbours = b.maxNeighbours;
        this.spatialToleranceSec = b.spatialToleranceSec;
        this.bottleneckThresholdKmh = b.bottleneckThresholdKmh;
    }

    /**
     * Lags 5, 15, 30, 60 min with tolerance 0.5; rolling windows 3, 6, 12 rows; Vietnam's fixed-date holidays and the
     * calendar of {@link CityTime#DEFAULT_ZONE} (Ho Chi Minh City);
     * graph neighbours (radius 1 km and 8 neighbours in radius mode); spatial tolerance 300 s; bottleneck below
     * -5 km/h.
     */
    public static FeatureConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int[] lagMinutes() {
        return lagMinutes.clone();
    }

    public double lagTolerance() {
        return lagTolerance;
    }

    public int[] rollingWindows() {
        return rollingWindows.clone();
    }

    public HolidayCalendar holidays() {
        return holidays;
    }

    /** The zone whose local time gives the hour, rush flags, day of week, weekend, month and holidays. */
    public ZoneId zone() {
        return zone;
    }

    public NeighbourMode neighbourMode() {
        return neighbourMode;
    }

    public double neighbourRadiusKm() {
        return neighbourRadiusKm;
    }

    public int maxNeighbours() {
        return maxNeighbours;
    }

    public long spatialToleranceSec() {
        return spatialToleranceSec;
    }

    public double bottleneckThresholdKmh() {
        return bottleneckThresholdKmh;
    }

    @Override
    public String toString() {
        return "FeatureConfig[lagMinutes=" + Arrays.toString(lagMinutes) + ", lagTolerance=" + lagTolerance
                + ", rollingWindows=" + Arrays.toString(rollingWindows) + ", neighbourMode=" + neighbourMode
                + ", neighbourRadiusKm=" + neighbourRadiusKm + ", maxNeighbours=" + maxNeighbours
                + ", spatialToleranceSec=" + spatialToleranceSec + ", bottleneckThresholdKmh="
                + bottleneckThresholdKmh + "]";
    }

    /** Starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int[] lagMinutes = {5, 15, 30, 60};
        private double lagTolerance = 0.5;
        private int[] rollingWindows = {3, 6, 12};
        private HolidayCalendar holidays = HolidayCalendar.vietnamFixed();
        private ZoneId zone = CityTime.DEFAULT_ZONE;
        private NeighbourMode neighbourMode = NeighbourMode.GRAPH;
        private double neighbourRadiusKm = 1.0;
        private int maxNeighbours = 8;
        private long spatialToleranceSec = 300;
        private double bottleneckThresholdKmh = -5.0;

        private Builder() {
        }

        /** Lags in minutes, each in [1, 10080], distinct. */
        public Builder lagMinutes(int... minutes) {
            if (minutes.length == 0) {
                throw new IllegalArgumentException("lagMinutes must not be empty");
            }
            for (int m : minutes) {
                if (m < 1 || m > 10_080) {
                    throw new IllegalArgumentException("lagMinutes must each be in [1, 10080], got " + m);
                }
            }
            if (Arrays.stream(minutes).distinct().count() != minutes.length) {
                throw new IllegalArgumentException("lagMinutes must be distinct, got " + Arrays.toString(minutes));
            }
            this.lagMinutes = minutes.clone();
            return this;
        }

        /**
         * How much older than exactly {@code lag} an observation may be and still serve as the lag value, as a
         * fraction of the lag, in [0, 1]. With 0.5, the 60-minute lag takes the latest observation from 60 to 90
         * minutes before the row.
         */
        public Builder lagTolerance(double fractionOfLag) {
            if (!(fractionOfLag >= 0 && fractionOfLag <= 1)) {
                throw new IllegalArgumentException("lagTolerance must be in [0, 1], got " + fractionOfLag);
            }
            this.lagTolerance = fractionOfLag;
            return this;
        }

        /** Rolling windows in rows of the same edge, each in [2, 1000], distinct. */
        public Builder rollingWindows(int... windows) {
            if (windows.length == 0) {
                throw new IllegalArgumentException("rollingWindows must not be empty");
            }
            for (int w : windows) {
                if (w < 2 || w > 1000) {
                    throw new IllegalArgumentException("rollingWindows must each be in [2, 1000], got " + w);
                }
            }
            if (Arrays.stream(windows).distinct().count() != windows.length) {
                throw new IllegalArgumentException("rollingWindows must be distinct, got " + Arrays.toString(windows));
            }
            this.rollingWindows = windows.clone();
            return this;
        }

        public Builder holidays(HolidayCalendar calendar) {
            this.holidays = Objects.requireNonNull(calendar, "holidays");
            return this;
        }

        /** The city's zone for the calendar features (default {@link CityTime#DEFAULT_ZONE}). */
        public Builder zone(ZoneId cityZone) {
            this.zone = Objects.requireNonNull(cityZone, "zone");
            return this;
        }

        public Builder neighbourMode(NeighbourMode mode) {
            this.neighbourMode = Objects.requireNonNull(mode, "neighbourMode");
            return this;
        }

        /** Radius for {@link NeighbourMode#RADIUS} in km, finite and > 0. */
        public Builder neighbourRadiusKm(double radiusKm) {
            if (!(radiusKm > 0 && Double.isFinite(radiusKm))) {
                throw new IllegalArgumentException("neighbourRadiusKm must be finite and > 0, got " + radiusKm);
            }
            this.neighbourRadiusKm = radiusKm;
            return this;
        }

        /** At most this many neighbours per edge in {@link NeighbourMode#RADIUS}, in [1, 1000]. */
        public Builder maxNeighbours(int k) {
            if (k < 1 || k > 1000) {
                throw new IllegalArgumentException("maxNeighbours must be in [1, 1000], got " + k);
            }
            this.maxNeighbours = k;
            return this;
        }

        /**
         * A neighbour's observation counts for a row when it is the neighbour's observation closest in time to the
         * row and at most this many seconds away, in [0, 86400].
         */
        public Builder spatialToleranceSec(long seconds) {
            if (seconds < 0 || seconds > 86_400) {
                throw new IllegalArgumentException("spatialToleranceSec must be in [0, 86400], got " + seconds);
            }
            this.spatialToleranceSec = seconds;
            return this;
        }

        /** A row is a bottleneck when its speed minus the neighbour mean is below this (km/h, finite). */
        public Builder bottleneckThresholdKmh(double kmh) {
            if (!Double.isFinite(kmh)) {
                throw new IllegalArgumentException("bottleneckThresholdKmh must be finite, got " + kmh);
            }
            this.bottleneckThresholdKmh = kmh;
            return this;
        }

        public FeatureConfig build() {
            return new FeatureConfig(this);
        }
    }
}

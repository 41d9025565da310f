package dev.perfkit.traffic.validation;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Limits applied by {@link Validator}. Immutable and thread-safe.
 *
 * <p>Customising never replaces the defaults wholesale: {@link #builder()} and {@link #toBuilder()} start from a full
 * set of values and {@link #merge(Map)} overrides only the keys it is given, so a custom maximum speed keeps the
 * default minimum speed, durations, distances and completeness.
 *
 * <table>
 *   <caption>Thresholds and defaults</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>speed_kmh.min / speed_kmh.max</td><td>0 / 120</td><td>allowed speed, km/h, inclusive</td></tr>
 *   <tr><td>duration_sec.min / duration_sec.max</td><td>0 / 3600</td><td>allowed travel time, s, inclusive</td></tr>
 *   <tr><td>distance_km.min / distance_km.max</td><td>0 / 50</td><td>allowed route distance, km, inclusive</td></tr>
 *   <tr><td>completeness.min</td><td>0.8</td><td>the batch fails when a smaller fraction of rows has every
 *       required field</td></tr>
 *   <tr><td>speed_consistency.tolerance</td><td>0.1</td><td>relative difference between speed_kmh and
 *       distance / duration above which a row gets a warning</td></tr>
 * </table>
 */
public final class ValidationThresholds {

    /** The keys understood by {@link #merge(Map)}. */
    public static final Set<String> KEYS = Set.of("speed_kmh.min", "speed_kmh.max", "duration_sec.min",
            "duration_sec.max", "distance_km.min", "distance_km.max", "completeness.min",
            "speed_consistency.tolerance");

    private static final ValidationThresholds DEFAULTS = new Builder().build();

    private final double minSpeedKmh;
    private final double maxSpeedKmh;
    private final double minDurationSec;
    private final double maxDurationSec;
    private final double minDistanceKm;
    private final double maxDistanceKm;
    private final double minCompleteness;
    private final double speedConsistencyTolerance;

    private ValidationThresholds(Builder b) {
        requireBounds("speed_kmh", b.minSpeedKmh, b.maxSpeedKmh);
        requireBounds("duration_sec", b.minDurationSec, b.maxDurationSec);
        requireBounds("distance_km", b.minDistanceKm, b.maxDistanceKm);
        if (!(b.minCompleteness >= 0 && b.minCompleteness <= 1)) {
            throw new IllegalArgumentException("completeness.min must be in [0, 1], got " + b.minCompleteness);
        }
        if (!(b.speedConsistencyTolerance >= 0 && Double.isFinite(b.speedConsistencyTolerance))) {
            throw new IllegalArgumentException("speed_consistency.tolerance must be finite and >= 0, got "
                    + b.speedConsistencyTolerance);
        }
        this.minSpeedKmh = b.minSpeedKmh;
        this.maxSpeedKmh = b.maxSpeedKmh;
        this.minDurationSec = b.minDurationSec;
        this.maxDurationSec = b.maxDurationSec;
        this.minDistanceKm = b.minDistanceKm;
        this.maxDistanceKm = b.maxDistanceKm;
        this.minCompleteness = b.minCompleteness;
        this.speedConsistencyTolerance = b.speedConsistencyTolerance;
    }

    private static void requireBounds(String field, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException(field + " bounds must be finite, got [" + min + ", " + max + "]");
        }
        if (min > max) {
            throw new IllegalArgumentException(field + " bounds invalid: min " + min + " > max " + max);
        }
    }

    /** Speed 0-120 km/h, duration 0-3600 s, distance 0-50 km, completeness 0.8, speed consistency 10 %. */
    public static ValidationThresholds defaults() {
        return DEFAULTS;
    }

    /** A builder holding the defaults; set only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.minSpeedKmh = minSpeedKmh;
        b.maxSpeedKmh = maxSpeedKmh;
        b.minDurationSec = minDurationSec;
        b.maxDurationSec = maxDurationSec;
        b.minDistanceKm = minDistanceKm;
        b.maxDistanceKm = maxDistanceKm;
        b.minCompleteness = minCompleteness;
        b.speedConsistencyTolerance = speedConsistencyTolerance;
        return b;
    }

    /**
     * These thresholds with the given keys overridden (e.g. from a configuration file); every other value is kept.
     *
     * @throws IllegalArgumentException for an unknown key (the message lists the known ones) or invalid bounds
     */
    public ValidationThresholds merge(Map<String, Double> overrides) {
        Builder b = toBuilder();
        for (Map.Entry<String, Double> entry : overrides.entrySet()) {
            Double value = entry.getValue();
            if (value == null) {
                throw new IllegalArgumentException("threshold '" + entry.getKey() + "' has no value");
            }
            double v = value;
            switch (entry.getKey()) {
                case "speed_kmh.min" -> b.minSpeedKmh = v;
                case "speed_kmh.max" -> b.maxSpeedKmh = v;
                case "duration_sec.min" -> b.minDurationSec = v;
                case "duration_sec.max" -> b.maxDurationSec = v;
                case "distance_km.min" -> b.minDistanceKm = v;
                case "distance_km.max" -> b.maxDistanceKm = v;
                case "completeness.min" -> b.minCompleteness = v;
                case "speed_consistency.tolerance" -> b.speedConsistencyTolerance = v;
                default -> throw new IllegalArgumentException("unknown threshold '" + entry.getKey() + "'; known: "
                        + new TreeSet<>(KEYS));
            }
        }
        return b.build();
    }

    public double minSpeedKmh() {
        return minSpeedKmh;
    }

    public double maxSpeedKmh() {
        return maxSpeedKmh;
    }

    public double minDurationSec() {
        return minDurationSec;
    }

    public double maxDurationSec() {
        return maxDurationSec;
    }

    public double minDistanceKm() {
        return minDistanceKm;
    }

    public double maxDistanceKm() {
        return maxDistanceKm;
    }

    public double minCompleteness() {
        return minCompleteness;
    }

    public double speedConsistencyTolerance() {
        return speedConsistencyTolerance;
    }

    @Override
    public String toString() {
        return "ValidationThresholds[speed_kmh=[" + minSpeedKmh + ", " + maxSpeedKmh + "], duration_sec=["
                + minDurationSec + ", " + maxDurationSec + "], distance_km=[" + minDistanceKm + ", " + maxDistanceKm
                + "], completeness.min=" + minCompleteness + ", speed_consistency.tolerance="
                + speedConsistencyTolerance + "]";
    }

    /** Starts from the defaults (or from the thresholds it was made from); validates on {@link #build()}. */
    public static final class Builder {
        private double minSpeedKmh = 0;
        private double maxSpeedKmh = 120;
        private double minDurationSec = 0;
        private double maxDurationSec = 3600;
        private double minDistanceKm = 0;
        private double maxDistanceKm = 50;
        private double minCompleteness = 0.8;
        private double speedConsistencyTolerance = 0.1;

        private Builder() {
        }

        public Builder speedKmh(double min, double max) {
            this.minSpeedKmh = min;
            this.maxSpeedKmh = max;
            return this;
        }

        public Builder maxSpeedKmh(double max) {
            this.maxSpeedKmh = max;
            return this;
        }

        public Builder durationSec(double min, double max) {
            this.minDurationSec = min;
            this.maxDurationSec = max;
            return this;
        }

        public Builder maxDurationSec(double max) {
            this.maxDurationSec = max;
            return this;
        }

        public Builder distanceKm(double min, double max) {
            this.minDistanceKm = min;
            this.maxDistanceKm = max;
            return this;
        }

        public Builder maxDistanceKm(double max) {
            this.maxDistanceKm = max;
            return this;
        }

        /** Minimum fraction of complete rows, in [0, 1]. */
        public Builder minCompleteness(double fraction) {
            this.minCompleteness = fraction;
            return this;
        }

        /** Relative tolerance (>= 0) between speed_kmh and distance / duration before a warning. */
        public Builder speedConsistencyTolerance(double relative) {
            this.speedConsistencyTolerance = relative;
            return this;
        }

        /** @throws IllegalArgumentException when a bound is non-finite or a minimum exceeds its maximum */
        public ValidationThresholds build() {
            return new ValidationThresholds(this);
        }
    }
}

package dev.perfkit;

import java.util.Map;
import java.util.Objects;

/**
 * What identifies a timer and what its values mean: name, description, static tags, unit and target. A
 * {@link PerfTimer} and every {@link TimerSnapshot} of it carry the same id; exports read it from the snapshot.
 *
 * <p><b>Units.</b> Every value of the timer, its {@linkplain #target() target} included, is in {@link #unit()}:
 * nanoseconds for latency and CPU-time timers ({@link MetricUnit#NANOSECONDS}, the default), bytes for allocation
 * timers ({@link MetricUnit#BYTES}). A target is a bound on the 99th percentile; 0 means none.
 *
 * <p>Immutable and thread-safe; equal when every field is.
 */
public final class TimerId {

    private final String name;
    private final String description;
    private final Map<String, String> tags;
    private final MetricUnit unit;
    private final long target;

    /**
     * @param name        metric name, lower-case words separated by dots
     * @param description free text, possibly empty
     * @param tags        static tags (copied; keys and values not null)
     * @param unit        unit of every value and of the target
     * @param target      99th-percentile target in {@code unit}, 0 for none
     * @throws IllegalArgumentException if {@code target} is negative
     * @throws NullPointerException     if any reference is null
     */
    public TimerId(String name, String description, Map<String, String> tags, MetricUnit unit, long target) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.tags = Map.copyOf(tags);
        this.unit = Objects.requireNonNull(unit, "unit");
        if (target < 0) {
            throw new IllegalArgumentException("target must be >= 0 " + unit.label() + " (0 = none), was " + target);
        }
        this.target = target;
    }

    /** Metric name, lower-case words separated by dots. */
    public String name() {
        return name;
    }

    /** Free text, possibly empty. */
    public String description() {
        return description;
    }

    /** Static tags, immutable, never null. */
    public Map<String, String> tags() {
        return tags;
    }

    /** Unit of every value of the timer and of its target. */
    public MetricUnit unit() {
        return unit;
    }

    /** Target for the 99th percentile in {@link #unit()}, 0 when there is none. */
    public long target() {
        return target;
    }

    /** Whether a target is set. */
    public boolean hasTarget() {
        return target > 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TimerId id && name.equals(id.name) && description.equals(id.description)
                && tags.equals(id.tags) && unit == id.unit && target == id.target;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, tags, unit, target);
    }

    @Override
    public String toString() {
        return name + tags + (hasTarget() ? " target " + target + " " + unit.label() : "");
    }
}

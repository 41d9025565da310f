package dev.perfkit;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * An immutable view of one timer over a span of time: since creation or the last {@link PerfRegistry#reset()}
 * (cumulative) or since the previous interval read (interval).
 *
 * <p>Values are in {@link #unit()}: nanoseconds for latency and CPU timers, bytes for allocation timers. Percentiles,
 * min and max come from the HdrHistogram and carry its precision (the highest value equivalent to the recorded one
 * at the configured significant digits); {@link #total()} and {@link #mean()} are exact sums of the recorded (clamped)
 * values. Errors are calls that ended in an exception, or a {@code CompletionStage} that completed exceptionally;
 * they are included in {@link #count()} and in the histogram.
 *
 * @param name          metric name, lower-case words separated by dots
 * @param description   free text, possibly empty
 * @param tags          static tags, never null
 * @param unit          unit of every value below
 * @param startEpochMillis wall-clock start of the span (creation, reset or previous interval read)
 * @param endEpochMillis   wall-clock time the snapshot was taken
 * @param count         number of recorded values
 * @param errors        how many of them ended in an exception
 * @param errorsByType  errors per exception class name
 * @param clamped       values that were outside {@code [0, highestTrackableValue]} and were clamped into it
 * @param total         exact sum of the recorded values
 * @param mean          {@code total / count}, 0 when empty
 * @param min           smallest recorded value (histogram precision), 0 when empty
 * @param max           largest recorded value (histogram precision), 0 when empty
 * @param p50           median
 * @param p90           90th percentile
 * @param p99           99th percentile
 * @param p999          99.9th percentile
 * @param target        p99 target in {@link #unit()}, 0 when the timer has none
 */
public record TimerSnapshot(
        String name,
        String description,
        Map<String, String> tags,
        MetricUnit unit,
        long startEpochMillis,
        long endEpochMillis,
        long count,
        long errors,
        Map<String, Long> errorsByType,
        long clamped,
        long total,
        double mean,
        long min,
        long max,
        long p50,
        long p90,
        long p99,
        long p999,
        long target,
        Histogram histogramView) {

    public TimerSnapshot {
        tags = Map.copyOf(tags);
        errorsByType = Map.copyOf(errorsByType);
    }

    static TimerSnapshot of(PerfTimer timer, Histogram histogram, long startEpochMillis, long endEpochMillis,
                            long total, long errors, Map<String, Long> errorsByType, long clamped) {
        long count = histogram.getTotalCount();
        boolean empty = count == 0;
        return new TimerSnapshot(timer.name(), timer.description(), timer.tags(), timer.unit(),
                startEpochMillis, endEpochMillis, count, errors, errorsByType, clamped, total,
                empty ? 0.0 : (double) total / count,
                empty ? 0 : histogram.getMinValue(),
                empty ? 0 : histogram.getMaxValue(),
                histogram.getValueAtPercentile(50.0),
                histogram.getValueAtPercentile(90.0),
                histogram.getValueAtPercentile(99.0),
                histogram.getValueAtPercentile(99.9),
                timer.target(), histogram);
    }

    /** Whether the timer has a target. */
    public boolean hasTarget() {
        return target > 0;
    }

    /** {@link TargetStatus#MET} when {@code p99 <= target}; see {@link TargetStatus} for the other cases. */
    public TargetStatus targetStatus() {
        if (!hasTarget()) {
            return TargetStatus.NO_TARGET;
        }
        if (count == 0) {
            return TargetStatus.NO_DATA;
        }
        return p99 <= target ? TargetStatus.MET : TargetStatus.MISSED;
    }

    /** Value at any percentile in {@code [0, 100]}. */
    public long valueAtPercentile(double percentile) {
        return histogramView.getValueAtPercentile(percentile);
    }

    /**
     * A copy of the underlying HdrHistogram (lowest discernible value 1, the registry's highest trackable value and
     * significant digits), with start and end timestamps set, for those who want more than the fields above.
     */
    public Histogram histogram() {
        Histogram copy = histogramView.copy();
        copy.setStartTimeStamp(startEpochMillis);
        copy.setEndTimeStamp(endEpochMillis);
        copy.setTag(name);
        return copy;
    }

    /**
     * Direct access to the snapshot's histogram without copying. The snapshot owns it: callers must not modify it.
     */
    @Override
    public Histogram histogramView() {
        return histogramView;
    }
}

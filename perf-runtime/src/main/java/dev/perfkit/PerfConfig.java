package dev.perfkit;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link PerfRegistry}: histogram precision and range, the cap on metric names, slow-call logging and
 * the clock. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <p><b>Memory per timer.</b> Bounded by the cores, not by the threads: at most one cell per available processor
 * (rounded up to a power of two; one cell until writers collide), each of {@code chunkCount} references (about 40)
 * plus one chunk per power-of-two range of values recorded into it: 1 KiB per range at 2 significant digits (the
 * default), 8 KiB at 3. A method whose latencies span 1 us to 10 ms touches 14 ranges: at most 14 KiB per cell, on any
 * number of platform or virtual threads. A snapshot keeps only the non-empty buckets; {@code TimerSnapshot.histogram()}
 * builds one HdrHistogram of the same layout on demand (about 37 KiB at 2 digits over the default range).
 */
public final class PerfConfig {

    /** Default highest trackable value: one hour in nanoseconds (and as many bytes for allocation). */
    public static final long DEFAULT_HIGHEST_TRACKABLE_VALUE = Duration.ofHours(1).toNanos();
    /** Default decimal precision of histograms: 2 significant digits, 1% relative error. */
    public static final int DEFAULT_SIGNIFICANT_DIGITS = 2;
    /** Default cap on distinct timer names. */
    public static final int DEFAULT_MAX_TIMERS = 10_000;
    /** Default cap on distinct call-tree paths of {@code @Profiled} methods. */
    public static final int DEFAULT_MAX_CALL_PATHS = 10_000;
    /** Default minimum interval between two slow-call log lines of one timer. */
    public static final Duration DEFAULT_SLOW_CALL_LOG_INTERVAL = Duration.ofSeconds(10);

    private final long highestTrackableValue;
    private final int numberOfSignificantValueDigits;
    private final int maxTimers;
    private final int maxCallPaths;
    private final long slowCallLogIntervalNanos;
    private final NanoClock clock;

    private PerfConfig(Builder builder) {
        this.highestTrackableValue = builder.highestTrackableValue;
        this.numberOfSignificantValueDigits = builder.numberOfSignificantValueDigits;
        this.maxTimers = builder.maxTimers;
        this.maxCallPaths = builder.maxCallPaths;
        this.slowCallLogIntervalNanos = builder.slowCallLogInterval.toNanos();
        this.clock = builder.clock;
    }

    /** The defaults: 2 digits, one hour, 10,000 timers, one slow-call line per timer per 10 s, the system clock. */
    public static PerfConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public long highestTrackableValue() {
        return highestTrackableValue;
    }

    public int numberOfSignificantValueDigits() {
        return numberOfSignificantValueDigits;
    }

    public int maxTimers() {
        return maxTimers;
    }

    public int maxCallPaths() {
        return maxCallPaths;
    }

    public long slowCallLogIntervalNanos() {
        return slowCallLogIntervalNanos;
    }

    public NanoClock clock() {
        return clock;
    }

    /** Builder of {@link PerfConfig}. Not thread-safe. */
    public static final class Builder {
        private long highestTrackableValue = DEFAULT_HIGHEST_TRACKABLE_VALUE;
        private int numberOfSignificantValueDigits = DEFAULT_SIGNIFICANT_DIGITS;
        private int maxTimers = DEFAULT_MAX_TIMERS;
        private int maxCallPaths = DEFAULT_MAX_CALL_PATHS;
        private Duration slowCallLogInterval = DEFAULT_SLOW_CALL_LOG_INTERVAL;
        private NanoClock clock = NanoClock.system();

        private Builder() {
        }

        /**
         * Largest value a histogram tracks exactly (nanoseconds for latency, bytes for allocation); larger values are
         * clamped to it and counted. Range: 2,000 to {@code Long.MAX_VALUE / 2}.
         */
        public Builder highestTrackableValue(long highestTrackableValue) {
            if (highestTrackableValue < 2_000 || highestTrackableValue > Long.MAX_VALUE / 2) {
                throw new IllegalArgumentException("highestTrackableValue must be 2000 to " + Long.MAX_VALUE / 2
                        + ", was " + highestTrackableValue);
            }
            this.highestTrackableValue = highestTrackableValue;
            return this;
        }

        /** Decimal precision of every histogram, 1 to 3 (1 = 10%, 2 = 1%, 3 = 0.1% relative error). */
        public Builder numberOfSignificantValueDigits(int numberOfSignificantValueDigits) {
            if (numberOfSignificantValueDigits < 1 || numberOfSignificantValueDigits > 3) {
                throw new IllegalArgumentException("numberOfSignificantValueDigits must be 1 to 3, was "
                        + numberOfSignificantValueDigits);
            }
            this.numberOfSignificantValueDigits = numberOfSignificantValueDigits;
            return this;
        }

        /**
         * Cap on distinct timer names, 1 to 1,000,000. Past it, new names record into the shared overflow timer
         * {@value PerfRegistry#OVERFLOW_TIMER_NAME}, and the overflow is counted and logged once.
         */
        public Builder maxTimers(int maxTimers) {
            if (maxTimers < 1 || maxTimers > 1_000_000) {
                throw new IllegalArgumentException("maxTimers must be 1 to 1000000, was " + maxTimers);
            }
            this.maxTimers = maxTimers;
            return this;
        }

        /**
         * Cap on distinct paths in the call tree of {@code @Profiled} methods, across threads, 1 to 10,000,000. Calls
         * on paths beyond it are aggregated in one {@code (overflow)} node per thread.
         */
        public Builder maxCallPaths(int maxCallPaths) {
            if (maxCallPaths < 1 || maxCallPaths > 10_000_000) {
                throw new IllegalArgumentException("maxCallPaths must be 1 to 10000000, was " + maxCallPaths);
            }
            this.maxCallPaths = maxCallPaths;
            return this;
        }

        /** Minimum interval between two slow-call log lines of one timer; zero logs every slow call. */
        public Builder slowCallLogInterval(Duration slowCallLogInterval) {
            Objects.requireNonNull(slowCallLogInterval, "slowCallLogInterval");
            if (slowCallLogInterval.isNegative()) {
                throw new IllegalArgumentException("slowCallLogInterval must not be negative, was "
                        + slowCallLogInterval);
            }
            this.slowCallLogInterval = slowCallLogInterval;
            return this;
        }

        /** Clock for stopwatches, woven methods and slow-call rate limiting. */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public PerfConfig build() {
            return new PerfConfig(this);
        }
    }
}

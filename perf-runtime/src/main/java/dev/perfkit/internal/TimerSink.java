package dev.perfkit.internal;

/**
 * What a {@link MethodProbe} records into: the latency, CPU-time or allocation timer of one woven method. The public
 * timer type implements it; the probe sees nothing else of the API. Implementations are thread-safe and never throw
 * for any value (out-of-range values are clamped and counted).
 */
public interface TimerSink {

    /** The metric name, used to name the timer in internal-error reports. */
    String name();

    /** Records one successful call's value (nanoseconds, or bytes for an allocation timer). */
    void record(long value);

    /** Records one failed call's value and counts {@code failure} by its class. */
    void recordError(long value, Throwable failure);

    /**
     * The counter of unsampled calls, which also chooses the sampled ones: a probe of a sampled method counts there
     * when a call starts ({@link SamplingCounter#countUnlessSampled}) and, if the call fails, adds the error with
     * {@link #countError}.
     */
    SamplingCounter unsampledCalls();

    /** Counts {@code failure} by its class, for a call already counted when it started. */
    void countError(Throwable failure);
}

package dev.perfkit.traffic.collect;

/**
 * A monotonic nanosecond clock, injectable so that tests control time ({@link ManualClock}) instead of sleeping.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface NanoClock {

    /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
    long nanoTime();

    /** {@link System#nanoTime()}. */
    static NanoClock system() {
        return System::nanoTime;
    }
}

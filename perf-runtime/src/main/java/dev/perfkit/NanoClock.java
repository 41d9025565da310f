package dev.perfkit;

/**
 * A monotonic source of nanoseconds, injectable so that tests control time instead of sleeping.
 *
 * <p>Implementations must be thread-safe. Values are only meaningful as differences.
 */
@FunctionalInterface
public interface NanoClock {

    /** Current time in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** The system clock, {@link System#nanoTime()}. */
    static NanoClock system() {
        return SystemNanoClock.INSTANCE;
    }
}

enum SystemNanoClock implements NanoClock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}

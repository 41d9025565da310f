package dev.perfkit.traffic.collect.http;

import dev.perfkit.NanoClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to, for tests: {@link #advance(Duration)} moves it, and as a {@link Sleeper}
 * a "sleep" advances it immediately instead of waiting. Thread-safe.
 */
public final class ManualClock implements NanoClock, Sleeper {

    private final AtomicLong nowNanos = new AtomicLong();
    private final AtomicLong sleptNanos = new AtomicLong();
    private final AtomicLong sleeps = new AtomicLong();

    @Override
    public long nanoTime() {
        return nowNanos.get();
    }

    /** Moves the clock forward by {@code duration} (>= 0). */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0, got " + duration);
        }
        nowNanos.addAndGet(duration.toNanos());
    }

    /** Advances the clock by {@code nanos} and returns at once. */
    @Override
    public void sleepNanos(long nanos) {
        if (nanos > 0) {
            sleeps.incrementAndGet();
            sleptNanos.addAndGet(nanos);
            nowNanos.addAndGet(nanos);
        }
    }

    /** Total nanoseconds "slept" through {@link #sleepNanos}. */
    public long sleptNanos() {
        return sleptNanos.get();
    }

    /** Number of positive {@link #sleepNanos} calls. */
    public long sleeps() {
        return sleeps.get();
    }
}

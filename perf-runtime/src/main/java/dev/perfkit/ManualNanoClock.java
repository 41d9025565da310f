package dev.perfkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link NanoClock} that moves only when told to; for tests. Thread-safe. */
public final class ManualNanoClock implements NanoClock {

    private final AtomicLong nanos;

    public ManualNanoClock() {
        this(0);
    }

    public ManualNanoClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves the clock forward (or backward, with a negative value) by {@code deltaNanos}. */
    public ManualNanoClock advanceNanos(long deltaNanos) {
        nanos.addAndGet(deltaNanos);
        return this;
    }

    public ManualNanoClock advance(Duration delta) {
        return advanceNanos(delta.toNanos());
    }
}

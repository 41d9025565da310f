package dev.perfkit;

/**
 * Times a block of code that carries no annotation and records it into a {@link PerfTimer} when closed:
 * <pre>{@code
 * try (Stopwatch watch = Perf.start("import.parse")) {
 *     parse(file);
 * }
 * }</pre>
 *
 * <p>{@link #close()} records once; later calls do nothing. Call {@link #failed(Throwable)} before closing to count the
 * block as an error. A stopwatch belongs to the thread that uses it and is not thread-safe; the timer it records into
 * is. Opening one allocates a small object that escape analysis usually removes when the block is inlined.
 */
public final class Stopwatch implements AutoCloseable {

    private final PerfTimer timer;
    private final NanoClock clock;
    private final long startNanos;
    private Throwable failure;
    private boolean closed;

    Stopwatch(PerfTimer timer, NanoClock clock) {
        this.timer = timer;
        this.clock = clock;
        this.startNanos = clock.nanoTime();
    }

    /** Nanoseconds since the stopwatch was started. */
    public long elapsedNanos() {
        return clock.nanoTime() - startNanos;
    }

    /** Marks the block as failed with {@code failure}; the value is recorded as an error of its class on close. */
    public Stopwatch failed(Throwable failure) {
        this.failure = failure;
        return this;
    }

    /** The timer this stopwatch records into. */
    public PerfTimer timer() {
        return timer;
    }

    /** Records the elapsed time, once. Never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long elapsedNanos = elapsedNanos();
        if (failure == null) {
            timer.record(elapsedNanos);
        } else {
            timer.recordError(elapsedNanos, failure);
        }
    }
}

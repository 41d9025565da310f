package dev.perfkit;

import dev.perfkit.internal.InternalErrors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs calls slower than a timer's target, at most one line per interval per timer, so that a slow hot path cannot
 * flood the log. Lines suppressed in between are counted and reported on the next line. Thread-safe, lock-free.
 */
final class SlowCallLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.perfkit.slow");

    private final String name;
    private final long intervalNanos;
    private final NanoClock clock;
    private final AtomicLong nextAllowedNanos;
    private final LongAdder suppressed = new LongAdder();

    SlowCallLog(String name, long intervalNanos, NanoClock clock) {
        this.name = name;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.nextAllowedNanos = new AtomicLong(startNanos(name, clock));
    }

    private static long startNanos(String name, NanoClock clock) {
        try {
            return clock.nanoTime();
        } catch (RuntimeException e) {
            InternalErrors.report("slow-call log of " + name, e);
            return Long.MIN_VALUE / 2; // the first slow call may log at once, as with a working clock
        }
    }

    /** Called for a value above the threshold; logs it unless a line was logged less than an interval ago. */
    void slowCall(long elapsedNanos, long targetNanos) {
        try {
            long now = clock.nanoTime();
            long allowed = nextAllowedNanos.get();
            if (now - allowed < 0 || !nextAllowedNanos.compareAndSet(allowed, now + intervalNanos)) {
                suppressed.increment();
                return;
            }
            long skipped = suppressed.sumThenReset();
            if (LOG.isWarnEnabled()) {
                LOG.warn("slow call: {} took {} (target {}){}", name, Durations.format(elapsedNanos),
                        Durations.format(targetNanos),
                        skipped == 0 ? "" : "; " + skipped + " more slow calls since the last line");
            }
        } catch (RuntimeException e) {
            InternalErrors.report("slow-call log of " + name, e);
        }
    }

    /** Slow calls not logged since the last line. */
    long suppressed() {
        return suppressed.sum();
    }
}

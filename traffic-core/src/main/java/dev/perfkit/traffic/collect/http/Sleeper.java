package dev.perfkit.traffic.collect.http;

import java.util.concurrent.TimeUnit;

/** Waits for a duration; injectable so that tests never really sleep ({@link ManualClock}). Thread-safe. */
@FunctionalInterface
public interface Sleeper {

    /** Waits {@code nanos} (nothing for 0 or less). */
    void sleepNanos(long nanos) throws InterruptedException;

    /** Real sleeping with {@link TimeUnit#sleep}. */
    static Sleeper system() {
        return nanos -> {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }
}

package dev.perfkit.traffic.collect.http;

import dev.perfkit.NanoClock;
import java.util.Objects;

/**
 * Limits requests to a number per minute with a small burst allowance (a token bucket that may go into debt, so that
 * waiting callers are served in reservation order). Thread-safe.
 *
 * <p>Design note: the state is two longs guarded by a lock: the bucket content in "permit-nanoseconds" (one permit =
 * {@code 60e9 / permitsPerMinute} ns) and the time it was last refilled. {@link #reserveNanos()} takes a permit under
 * the lock and returns how long the caller must wait for it; {@link #acquire()} then sleeps <em>after</em> releasing
 * the lock, so a waiting caller never blocks others from reserving or from {@link #tryAcquire()}. Time comes from an
 * injectable {@link NanoClock} and waiting from an injectable {@link Sleeper}, so tests use a {@link ManualClock} and
 * never sleep.
 */
public final class RateLimiter {

    private final int permitsPerMinute;
    private final int burstPermits;
    private final long intervalNanos;
    private final long capacityNanos;
    private final NanoClock clock;
    private final Sleeper sleeper;
    private final Object lock = new Object();
    private long availableNanos; // guarded by lock; negative = debt of reserved permits
    private long lastRefillNanos; // guarded by lock

    /**
     * @param permitsPerMinute sustained rate, in [1, 600000]
     * @param burstPermits     permits that may be used at once after an idle period, in [1, permitsPerMinute]; the
     *                         bucket starts full
     * @param clock            time source
     * @param sleeper          how {@link #acquire()} waits
     */
    public RateLimiter(int permitsPerMinute, int burstPermits, NanoClock clock, Sleeper sleeper) {
        if (permitsPerMinute < 1 || permitsPerMinute > 600_000) {
            throw new IllegalArgumentException("permitsPerMinute must be in [1, 600000], got " + permitsPerMinute);
        }
        if (burstPermits < 1 || burstPermits > permitsPerMinute) {
            throw new IllegalArgumentException("burstPermits must be in [1, " + permitsPerMinute + "], got "
                    + burstPermits);
        }
        this.permitsPerMinute = permitsPerMinute;
        this.burstPermits = burstPermits;
        this.intervalNanos = 60_000_000_000L / permitsPerMinute;
        this.capacityNanos = intervalNanos * burstPermits;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.availableNanos = capacityNanos;
        this.lastRefillNanos = clock.nanoTime();
    }

    /** A limiter on the system clock with a burst of one permit. */
    public static RateLimiter perMinute(int permitsPerMinute) {
        return new RateLimiter(permitsPerMinute, 1, NanoClock.system(), Sleeper.system());
    }

    public int permitsPerMinute() {
        return permitsPerMinute;
    }

    public int burstPermits() {
        return burstPermits;
    }

    /** Takes a permit if one is available now; never waits. */
    public boolean tryAcquire() {
        synchronized (lock) {
            refill();
            if (availableNanos >= intervalNanos) {
                availableNanos -= intervalNanos;
                return true;
            }
            return false;
        }
    }

    /**
     * Reserves the next permit and returns how many nanoseconds the caller must wait before using it (0 when it is
     * available now). The reservation stands: do not call {@link #acquire()} for the same request.
     */
    public long reserveNanos() {
        synchronized (lock) {
            refill();
            availableNanos -= intervalNanos;
            return availableNanos >= 0 ? 0 : -availableNanos;
        }
    }

    /** Reserves a permit and waits for it, without holding any lock while waiting. */
    public void acquire() throws InterruptedException {
        long waitNanos = reserveNanos();
        if (waitNanos > 0) {
            sleeper.sleepNanos(waitNanos);
        }
    }

    private void refill() {
        long now = clock.nanoTime();
        long elapsed = now - lastRefillNanos;
        if (elapsed > 0) {
            availableNanos = Math.min(capacityNanos, availableNanos + elapsed);
            lastRefillNanos = now;
        }
    }

    @Override
    public String toString() {
        return "RateLimiter[permitsPerMinute=" + permitsPerMinute + ", burstPermits=" + burstPermits + "]";
    }
}

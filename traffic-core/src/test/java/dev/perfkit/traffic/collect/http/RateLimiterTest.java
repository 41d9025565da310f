package dev.perfkit.traffic.collect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void tryAcquire_burstThenRefillsAtTheConfiguredRate() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(60, 2, clock, clock); // one permit per second, burst of 2

        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();

        clock.advance(Duration.ofMillis(999));
        assertThat(limiter.tryAcquire()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();

        clock.advance(Duration.ofMinutes(10)); // idle time refills only up to the burst
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void reserveNanos_queuesCallersOneIntervalApart() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(120, 1, clock, clock); // 0.5 s per permit

        assertThat(limiter.reserveNanos()).isZero();
        assertThat(limiter.reserveNanos()).isEqualTo(SECOND / 2);
        assertThat(limiter.reserveNanos()).isEqualTo(SECOND);
        clock.advance(Duration.ofMillis(250));
        assertThat(limiter.reserveNanos()).isEqualTo(SECOND + SECOND / 4);
    }

    @Test
    void acquire_waitsThroughTheSleeperForTheReservedTime() throws InterruptedException {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(60, 1, clock, clock);

        for (int i = 0; i < 5; i++) {
            limiter.acquire();
        }

        // The first permit is free; each later one waits one interval, and "sleeping" moves the manual clock.
        assertThat(clock.sleeps()).isEqualTo(4);
        assertThat(clock.sleptNanos()).isEqualTo(4 * SECOND);
        assertThat(clock.nanoTime()).isEqualTo(4 * SECOND);
    }

    @Test
    void acquire_neverHoldsTheLockWhileSleeping() throws InterruptedException {
        ManualClock clock = new ManualClock();
        AtomicBoolean otherThreadGotThrough = new AtomicBoolean();
        AtomicLong otherReservation = new AtomicLong(-1);
        RateLimiter[] holder = new RateLimiter[1];
        Sleeper checkingSleeper = nanos -> {
            // While this caller "sleeps", another thread must be able to use the limiter.
            Thread other = new Thread(() -> {
                holder[0].tryAcquire();
                otherReservation.set(holder[0].reserveNanos());
                otherThreadGotThrough.set(true);
            });
            other.start();
            other.join(10_000);
            clock.sleepNanos(nanos);
        };
        holder[0] = new RateLimiter(60, 1, clock, checkingSleeper);
        holder[0].acquire(); // immediate
        holder[0].acquire(); // must wait 1 s: the sleeper runs

        assertThat(otherThreadGotThrough).isTrue();
        assertThat(otherReservation.get()).isEqualTo(2 * SECOND);
    }

    @Test
    void constructor_badArguments_rejectedWithRange() {
        ManualClock clock = new ManualClock();
        assertThatThrownBy(() -> new RateLimiter(0, 1, clock, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permitsPerMinute")
                .hasMessageContaining("[1, 600000]");
        assertThatThrownBy(() -> new RateLimiter(10, 11, clock, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burstPermits");
    }

    @Test
    void retryPolicy_backoffDoublesUpToTheMaximum() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(3));

        assertThat(policy.backoffNanos(1)).isEqualTo(500_000_000L);
        assertThat(policy.backoffNanos(2)).isEqualTo(SECOND);
        assertThat(policy.backoffNanos(3)).isEqualTo(2 * SECOND);
        assertThat(policy.backoffNanos(4)).isEqualTo(3 * SECOND);
        assertThat(policy.backoffNanos(40)).isEqualTo(3 * SECOND);
    }
}

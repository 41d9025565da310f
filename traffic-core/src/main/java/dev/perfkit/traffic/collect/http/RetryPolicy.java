package dev.perfkit.traffic.collect.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a failed request is retried: attempt {@code n} (from 1) that fails with a timeout, an
 * I/O error, HTTP 429 or HTTP 5xx is followed, if {@code n < maxAttempts}, by a wait of
 * {@code min(maxBackoff, initialBackoff * 2^(n-1))} (longer if the server's {@code Retry-After} asks for it, never
 * beyond {@code maxBackoff}). Other HTTP errors are not retried.
 *
 * @param maxAttempts    attempts in total, in [1, 10]
 * @param initialBackoff wait after the first failure, in [0, maxBackoff]
 * @param maxBackoff     longest wait, at most 5 minutes
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be in [1, 10], got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxBackoff.isNegative() || maxBackoff.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("maxBackoff must be in [0, 5 min], got " + maxBackoff);
        }
        if (initialBackoff.isNegative() || initialBackoff.compareTo(maxBackoff) > 0) {
            throw new IllegalArgumentException("initialBackoff must be in [0, maxBackoff=" + maxBackoff + "], got "
                    + initialBackoff);
        }
    }

    /** 3 attempts, 500 ms then 1 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8));
    }

    /** The wait after failed attempt {@code attempt} (1-based), in nanoseconds. */
    public long backoffNanos(int attempt) {
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        int shift = Math.min(attempt - 1, 30);
        long backoff = initial > (max >> shift) ? max : initial << shift;
        return Math.min(max, backoff);
    }
}

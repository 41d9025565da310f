package dev.perfkit.traffic.collect.http;

/**
 * Counters of an HTTP client since it was created.
 *
 * @param requests  HTTP requests sent (including retries)
 * @param retries   requests that were retries of a failed attempt
 * @param failures  look-ups that failed after all attempts
 * @param cacheHits look-ups answered from the cache without a request
 */
public record CollectorStats(long requests, long retries, long failures, long cacheHits) {
}

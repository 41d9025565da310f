package dev.perfkit.traffic.collect.http;

import dev.perfkit.traffic.collect.CollectionException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET with rate limiting, a per-request timeout and retries with exponential backoff; shared by the directions and
 * weather clients. Every message it logs or throws passes through {@link ApiKey#mask(String)}, and causes are not
 * chained (their messages could hold the request URI). Thread-safe.
 */
final class HttpFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFetcher.class);
    private static final int MAX_BODY_IN_MESSAGE = 200;

    private final String apiName;
    private final HttpClient client;
    private final RateLimiter rateLimiter;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final Sleeper sleeper;
    private final ApiKey apiKey;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong cacheHits = new AtomicLong();

    HttpFetcher(String apiName, HttpClient client, RateLimiter rateLimiter, RetryPolicy retryPolicy,
                Duration requestTimeout, Sleeper sleeper, ApiKey apiKey) {
        this.apiName = apiName;
        this.client = client;
        this.rateLimiter = rateLimiter;
        this.retryPolicy = retryPolicy;
        this.requestTimeout = requestTimeout;
        this.sleeper = sleeper;
        this.apiKey = apiKey;
    }

    CollectorStats stats() {
        return new CollectorStats(requests.get(), retries.get(), failures.get(), cacheHits.get());
    }

    String mask(String text) {
        return apiKey.mask(text);
    }

    /**
     * The body of a successful (2xx) response.
     *
     * @throws CollectionException after the last failed attempt, or at once for a non-retryable status
     */
    String get(URI uri) {
        String lastProblem = "no attempt made";
        for (int attempt = 1; attempt <= retryPolicy.maxAttempts(); attempt++) {
            long retryAfterNanos = 0;
            try {
                rateLimiter.acquire();
                if (attempt > 1) {
                    retries.incrementAndGet();
                }
                requests.incrementAndGet();
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                        .header("Accept", "application/json").GET().build();
                HttpResponse<String> response = send(request);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response.body();
                }
                lastProblem = "HTTP " + status + " " + abbreviate(response.body());
                if (status != 429 && status < 500) {
                    failures.incrementAndGet();
                    throw new CollectionException(mask(apiName + " request " + uri + " failed (not retried): "
                            + lastProblem));
                }
                retryAfterNanos = retryAfterNanos(response);
            } catch (HttpTimeoutException e) {
                lastProblem = "timed out after " + requestTimeout.toMillis() + " ms";
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.incrementAndGet();
                throw new CollectionException(mask(apiName + " request " + uri + " interrupted"));
            }
            if (attempt < retryPolicy.maxAttempts()) {
                long backoffNanos = Math.max(retryPolicy.backoffNanos(attempt),
                        Math.min(retryAfterNanos, retryPolicy.maxBackoff().toNanos()));
                LOG.warn("{}", mask(apiName + " request " + uri + " attempt " + attempt + "/"
                        + retryPolicy.maxAttempts() + " failed (" + lastProblem + "); retrying in "
                        + backoffNanos / 1_000_000 + " ms"));
                try {
                    sleeper.sleepNanos(backoffNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.incrementAndGet();
                    throw new CollectionException(mask(apiName + " request " + uri + " interrupted during backoff"));
                }
            }
        }
        failures.incrementAndGet();
        throw new CollectionException(mask(apiName + " request " + uri + " failed after "
                + retryPolicy.maxAttempts() + " attempt(s): " + lastProblem));
    }

    /**
     * Sends {@code request} and reads the whole body within {@link #requestTimeout}. {@link HttpRequest#timeout} alone
     * bounds only the wait for the response headers: a server that sends its headers and then trickles the body would
     * hold the calling thread for as long as it likes. On expiry the exchange is cancelled, which closes its
     * connection, and an {@link HttpTimeoutException} is thrown like a header timeout.
     */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofString());
        try {
            return pending.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("response not complete within " + requestTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(String.valueOf(cause), cause);
        }
    }

    private static long retryAfterNanos(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim())).toNanos();
            } catch (NumberFormatException | ArithmeticException e) {
                return 0L; // an HTTP date or garbage: fall back to our own backoff
            }
        }).orElse(0L);
    }

    private static String abbreviate(String body) {
        if (body == null || body.isEmpty()) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}

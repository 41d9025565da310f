package dev.perfkit.traffic.collect.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.perfkit.NanoClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The settings every HTTP collector shares: key, rate limit, parallelism, timeouts, retries, clocks and cache. The
 * builders of {@link HttpDirectionsClient} and {@link WeatherClient} extend it. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class HttpClientBuilder<B extends HttpClientBuilder<B>> {

    final URI baseUri;
    ApiKey apiKey = ApiKey.none();
    int requestsPerMinute = 600;
    int burstRequests = 10;
    int maxParallelRequests = 4;
    Duration requestTimeout = Duration.ofSeconds(10);
    Duration connectTimeout = Duration.ofSeconds(5);
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    NanoClock clock = NanoClock.system();
    Sleeper sleeper = Sleeper.system();
    Duration cacheTtl;
    long cacheMaxEntries = 1_000;
    Clock wallClock = Clock.systemUTC();
    HttpClient httpClient;

    HttpClientBuilder(URI baseUri, Duration defaultCacheTtl) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        this.cacheTtl = defaultCacheTtl;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The API key, sent with each request and never logged. */
    public B apiKey(String key) {
        this.apiKey = ApiKey.of(key);
        return self();
    }

    /** Sustained rate, in [1, 600000] requests per minute, and the burst after idling, in [1, rate]. */
    public B rateLimit(int perMinute, int burst) {
        new RateLimiter(perMinute, burst, () -> 0L, nanos -> { }); // validates
        this.requestsPerMinute = perMinute;
        this.burstRequests = burst;
        return self();
    }

    /** Requests in flight at once, in [1, 64]. */
    public B maxParallelRequests(int requests) {
        if (requests < 1 || requests > 64) {
            throw new IllegalArgumentException("maxParallelRequests must be in [1, 64], got " + requests);
        }
        this.maxParallelRequests = requests;
        return self();
    }

    /** Time allowed for each exchange, body included, in (0, 5 min]. */
    public B requestTimeout(Duration timeout) {
        this.requestTimeout = requirePositive("requestTimeout", timeout);
        return self();
    }

    /** Time allowed to connect, in (0, 5 min]. */
    public B connectTimeout(Duration timeout) {
        this.connectTimeout = requirePositive("connectTimeout", timeout);
        return self();
    }

    public B retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
        return self();
    }

    /** Time source of the rate limiter and the cache. */
    public B clock(NanoClock nanoClock) {
        this.clock = Objects.requireNonNull(nanoClock, "clock");
        return self();
    }

    /** How rate-limit waits and retry backoffs wait. */
    public B sleeper(Sleeper waiting) {
        this.sleeper = Objects.requireNonNull(waiting, "sleeper");
        return self();
    }

    /** Lifetime of cached answers, in [0, 1 day] (0 disables reuse), and the cache size, >= 1. */
    public B cache(Duration ttl, long maxEntries) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("cache ttl must be in [0, 1 day], got " + ttl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache maxEntries must be >= 1, got " + maxEntries);
        }
        this.cacheTtl = ttl;
        this.cacheMaxEntries = maxEntries;
        return self();
    }

    /** Source of record timestamps (UTC). */
    public B wallClock(Clock clockUtc) {
        this.wallClock = Objects.requireNonNull(clockUtc, "wallClock");
        return self();
    }

    /** A preconfigured JDK client (its connect timeout then applies). */
    public B httpClient(HttpClient client) {
        this.httpClient = client;
        return self();
    }

    /** The rate-limited, retrying fetcher these settings describe. */
    HttpFetcher fetcher(String name) {
        HttpClient client = httpClient != null ? httpClient
                : HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        RateLimiter limiter = new RateLimiter(requestsPerMinute, burstRequests, clock, sleeper);
        return new HttpFetcher(name, client, limiter, retryPolicy, requestTimeout, sleeper, apiKey);
    }

    /** A cache with these settings, on the builder's clock. */
    <K, V> Cache<K, V> cache() {
        NanoClock ticker = clock;
        return Caffeine.newBuilder().maximumSize(cacheMaxEntries).expireAfterWrite(cacheTtl)
                .ticker(ticker::nanoTime).build();
    }

    /** The bounded pool of daemon threads that run requests in parallel. */
    ExecutorService executor(String threadPrefix) {
        AtomicInteger threads = new AtomicInteger();
        return Executors.newFixedThreadPool(maxParallelRequests, task -> {
            Thread thread = new Thread(task, threadPrefix + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    static Duration requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative() || value.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(name + " must be in (0, 5 min], got " + value);
        }
        return value;
    }
}

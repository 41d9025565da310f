package dev.perfkit.traffic.collect;

import dev.perfkit.NanoClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.geo.Geo;
import dev.perfkit.traffic.io.TrafficReader;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.WeatherSample;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Current weather from an Open-Meteo-style API: {@code GET <base>?latitude=..&longitude=..
 * &current=temperature_2m,precipitation,wind_speed_10m[&apikey=KEY]}, answer
 * {@code {"current": {"time": ..., "temperature_2m": ..., "precipitation": ..., "wind_speed_10m": ...}}} (times in
 * UTC, the API's default). Same rate limiting, retries, timeout, key masking and bounded parallelism as
 * {@link HttpDirectionsClient}. Answers are cached per cell of {@code cellDegrees} (default 0.01 degrees, about
 * 1 km), so nearby nodes and repeated runs within the cache lifetime share one request. Thread-safe; close it to stop
 * its threads.
 */
public final class WeatherClient implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI baseUri;
    private final ApiKey apiKey;
    private final HttpFetcher fetcher;
    private final Cache<String, WeatherSample> cache;
    private final ExecutorService executor;
    private final double cellDegrees;
    private final Clock wallClock;

    private WeatherClient(Builder b) {
        this.baseUri = b.baseUri;
        this.apiKey = b.apiKey;
        this.cellDegrees = b.cellDegrees;
        this.wallClock = b.wallClock;
        HttpClient client = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
        this.fetcher = new HttpFetcher("weather", client,
                new RateLimiter(b.requestsPerMinute, b.burstRequests, b.clock, b.sleeper), b.retryPolicy,
                b.requestTimeout, b.sleeper, b.apiKey);
        NanoClock clock = b.clock;
        this.cache = Caffeine.newBuilder().maximumSize(b.cacheMaxEntries).expireAfterWrite(b.cacheTtl)
                .ticker(clock::nanoTime).build();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(b.maxParallelRequests, task -> {
            Thread thread = new Thread(task, "weather-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A builder for the API at {@code baseUri}, e.g. {@code https://api.open-meteo.com/v1/forecast}. */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    public CollectorStats stats() {
        return fetcher.stats();
    }

    /**
     * Current weather at a point (cached per cell). The sample's node id is null.
     *
     * @throws IllegalArgumentException for invalid coordinates
     * @throws CollectionException      when the API fails after the retries or answers unexpectedly
     */
    @Timed("traffic.collect.weather")
    public WeatherSample current(double lat, double lon) {
        Geo.requireLatitude("lat", lat);
        Geo.requireLongitude("lon", lon);
        double cellLat = Math.round(lat / cellDegrees) * cellDegrees;
        double cellLon = Math.round(lon / cellDegrees) * cellDegrees;
        String key = String.format(Locale.ROOT, "%.5f,%.5f", cellLat, cellLon);
        WeatherSample cached = cache.getIfPresent(key);
        if (cached != null) {
            fetcher.cacheHits.incrementAndGet();
            return cached;
        }
        StringBuilder query = new StringBuilder()
                .append("latitude=").append(String.format(Locale.ROOT, "%.5f", cellLat))
                .append("&longitude=").append(String.format(Locale.ROOT, "%.5f", cellLon))
                .append("&current=temperature_2m,precipitation,wind_speed_10m");
        if (apiKey.isPresent()) {
            query.append("&apikey=").append(HttpDirectionsClient.encode(apiKey.reveal()));
        }
        URI uri = HttpDirectionsClient.withQuery(baseUri, query.toString());
        String body = fetcher.get(uri);
        WeatherSample sample;
        try {
            sample = parse(body, uri, cellLat, cellLon);
        } catch (CollectionException unusable) {
            fetcher.failures.incrementAndGet(); // a 2xx answer that cannot be used is a failed look-up too
            throw unusable;
        }
        cache.put(key, sample);
        return sample;
    }

    /**
     * Current weather for each node (in node order, node ids set), in parallel up to the configured bound.
     *
     * @throws CollectionException when any look-up fails
     */
    public List<WeatherSample> currentForNodes(List<Node> nodes) {
        List<Future<WeatherSample>> futures = new ArrayList<>(nodes.size());
        for (Node node : nodes) {
            futures.add(executor.submit(() -> {
                WeatherSample s = current(node.lat(), node.lon());
                return new WeatherSample(node.id(), node.lat(), node.lon(), s.timestamp(), s.temperatureC(),
                        s.precipitationMm(), s.windSpeedKmh());
            }));
        }
        List<WeatherSample> samples = new ArrayList<>(nodes.size());
        for (Future<WeatherSample> future : futures) {
            try {
                samples.add(future.get());
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                throw new CollectionException(fetcher.mask(String.valueOf(e.getCause().getMessage())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new CollectionException("weather collection interrupted");
            }
        }
        return samples;
    }

    private WeatherSample parse(String body, URI uri, double lat, double lon) {
        JsonNode current;
        try {
            current = MAPPER.readTree(body).path("current");
        } catch (IOException e) {
            throw new CollectionException(fetcher.mask("weather response of " + uri + " is not JSON: "
                    + e.getMessage()));
        }
        if (!current.isObject()) {
            throw new CollectionException(fetcher.mask("unexpected weather response for " + uri
                    + ": no 'current' object"));
        }
        LocalDateTime time;
        try {
            time = current.path("time").isTextual() ? TrafficReader.parseTimestamp(current.path("time").asText())
                    : LocalDateTime.ofInstant(wallClock.instant(), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new CollectionException(fetcher.mask("unexpected weather response for " + uri + ": time '"
                    + current.path("time").asText() + "' is not an ISO date-time"));
        }
        return new WeatherSample(null, lat, lon, time, number(current, "temperature_2m"),
                number(current, "precipitation"), number(current, "wind_speed_10m"));
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "WeatherClient[" + baseUri + ", key=" + apiKey + "]";
    }

    /** Settings with safe defaults. Not thread-safe. */
    public static final class Builder {
        private final URI baseUri;
        private ApiKey apiKey = ApiKey.none();
        private int requestsPerMinute = 600;
        private int burstRequests = 10;
        private int maxParallelRequests = 4;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private NanoClock clock = NanoClock.system();
        private Sleeper sleeper = Sleeper.system();
        private Duration cacheTtl = Duration.ofMinutes(10);
        private long cacheMaxEntries = 1_000;
        private double cellDegrees = 0.01;
        private Clock wallClock = Clock.systemUTC();
        private HttpClient httpClient;

        private Builder(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        }

        /** Optional key (commercial Open-Meteo); sent as {@code apikey}. */
        public Builder apiKey(String key) {
            this.apiKey = ApiKey.of(key);
            return this;
        }

        /** Sustained rate, in [1, 600000] requests per minute, and the burst after idling, in [1, rate]. */
        public Builder rateLimit(int perMinute, int burst) {
            new RateLimiter(perMinute, burst, () -> 0L, nanos -> { }); // validates
            this.requestsPerMinute = perMinute;
            this.burstRequests = burst;
            return this;
        }

        /** Requests in flight at once, in [1, 64]. */
        public Builder maxParallelRequests(int requests) {
            if (requests < 1 || requests > 64) {
                throw new IllegalArgumentException("maxParallelRequests must be in [1, 64], got " + requests);
            }
            this.maxParallelRequests = requests;
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = HttpDirectionsClient.Builder.requirePositive("requestTimeout", timeout);
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = HttpDirectionsClient.Builder.requirePositive("connectTimeout", timeout);
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        public Builder clock(NanoClock nanoClock) {
            this.clock = Objects.requireNonNull(nanoClock, "clock");
            return this;
        }

        public Builder sleeper(Sleeper waiting) {
            this.sleeper = Objects.requireNonNull(waiting, "sleeper");
            return this;
        }

        /** Lifetime of cached answers, in [0, 1 day], and the cache size, >= 1. */
        public Builder cache(Duration ttl, long maxEntries) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("cache ttl must be in [0, 1 day], got " + ttl);
            }
            if (maxEntries < 1) {
                throw new IllegalArgumentException("cache maxEntries must be >= 1, got " + maxEntries);
            }
            this.cacheTtl = ttl;
            this.cacheMaxEntries = maxEntries;
            return this;
        }

        /** Size of the cache cells in degrees, in [0.0001, 1]. */
        public Builder cellDegrees(double degrees) {
            if (!(degrees >= 0.0001 && degrees <= 1)) {
                throw new IllegalArgumentException("cellDegrees must be in [0.0001, 1], got " + degrees);
            }
            this.cellDegrees = degrees;
            return this;
        }

        public Builder wallClock(Clock clockUtc) {
            this.wallClock = Objects.requireNonNull(clockUtc, "wallClock");
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        public WeatherClient build() {
            return new WeatherClient(this);
        }
    }
}

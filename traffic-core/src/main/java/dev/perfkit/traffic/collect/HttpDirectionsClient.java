package dev.perfkit.traffic.collect;

import dev.perfkit.NanoClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.geo.Geo;
import dev.perfkit.traffic.model.Edge;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.model.WeatherSample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects travel times from a Google-Directions-style HTTP API ({@code GET <base>?origin=lat,lon&destination=lat,lon
 * &departure_time=now&key=KEY}, answer {@code routes[0].legs[0].distance.value} in metres and
 * {@code duration_in_traffic.value} or {@code duration.value} in seconds), one request per edge of the network.
 * Thread-safe.
 *
 * <ul>
 *   <li>Rate limit: requests per minute with a small burst ({@link RateLimiter}, injectable clock and sleeper).</li>
 *   <li>Retries with exponential backoff on timeouts, I/O errors, HTTP 429 and 5xx ({@link RetryPolicy}); a
 *       per-request timeout.</li>
 *   <li>Bounded parallelism: at most {@code maxParallelRequests} requests in flight.</li>
 *   <li>A small Caffeine cache of recent answers per (origin, destination), so repeated look-ups within the cache
 *       lifetime cost no request.</li>
 *   <li>The API key never appears in {@link #toString()}, logs or exception messages.</li>
 * </ul>
 *
 * <p>A run contains the edges that succeeded; failed edges are logged (masked) and counted in {@link #stats()}. When
 * every edge fails, {@link #collect()} throws a {@link CollectionException}. Close the client to stop its threads.
 */
public final class HttpDirectionsClient implements DirectionsSource {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDirectionsClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI baseUri;
    private final RoadNetwork network;
    private final HttpFetcher fetcher;
    private final Cache<String, DirectionsLeg> cache;
    private final ExecutorService executor;
    private final Clock wallClock;
    private final WeatherClient weatherClient;
    private final ApiKey apiKey;

    private HttpDirectionsClient(Builder b) {
        this.baseUri = b.baseUri;
        this.network = b.network;
        this.apiKey = b.apiKey;
        this.wallClock = b.wallClock;
        this.weatherClient = b.weatherClient;
        HttpClient client = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).build();
        RateLimiter limiter = new RateLimiter(b.requestsPerMinute, b.burstRequests, b.clock, b.sleeper);
        this.fetcher = new HttpFetcher("directions", client, limiter, b.retryPolicy, b.requestTimeout, b.sleeper,
                b.apiKey);
        NanoClock clock = b.clock;
        this.cache = Caffeine.newBuilder().maximumSize(b.cacheMaxEntries).expireAfterWrite(b.cacheTtl)
                .ticker(clock::nanoTime).build();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(b.maxParallelRequests, task -> {
            Thread thread = new Thread(task, "directions-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A builder for a client of the API at {@code baseUri} (e.g.
     * {@code https://maps.googleapis.com/maps/api/directions/json}) collecting the edges of {@code network}.
     */
    public static Builder builder(URI baseUri, RoadNetwork network) {
        return new Builder(baseUri, network);
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public RoadNetwork network() {
        return network;
    }

    public CollectorStats stats() {
        return fetcher.stats();
    }

    /**
     * One request per edge, in parallel up to the configured bound; plus weather per node when a
     * {@link WeatherClient} was configured (weather failures leave the weather list empty).
     *
     * @throws CollectionException when every edge failed
     */
    @Timed("traffic.collect.http")
    @Override
    public TrafficRun collect() {
        LocalDateTime runTimestamp = LocalDateTime.ofInstant(wallClock.instant(), ZoneOffset.UTC);
        List<Future<TrafficRecord>> futures = new ArrayList<>(network.edgeCount());
        for (Edge edge : network.edges()) {
            Node a = network.node(edge.startNodeId());
            Node b = network.node(edge.endNodeId());
            futures.add(executor.submit(() -> {
                DirectionsLeg leg = directions(a.lat(), a.lon(), b.lat(), b.lon());
                return new TrafficRecord(a.id(), b.id(), LocalDateTime.ofInstant(wallClock.instant(), ZoneOffset.UTC), leg.distanceKm(),
                        leg.durationSec(), leg.speedKmh(), "real");
            }));
        }
        List<TrafficRecord> records = new ArrayList<>(futures.size());
        String firstFailure = null;
        int failed = 0;
        for (int i = 0; i < futures.size(); i++) {
            try {
                records.add(futures.get(i).get());
            } catch (ExecutionException e) {
                failed++;
                String message = fetcher.mask(String.valueOf(e.getCause().getMessage()));
                if (firstFailure == null) {
                    firstFailure = message;
                }
                LOG.warn("edge {} not collected: {}", network.edge(i).id(), message);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new CollectionException("directions collection interrupted after " + records.size()
                        + " of " + futures.size() + " edges");
            }
        }
        if (records.isEmpty() && !futures.isEmpty()) {
            throw new CollectionException("all " + failed + " directions requests failed; first: " + firstFailure);
        }
        List<WeatherSample> weather = List.of();
        if (weatherClient != null) {
            try {
                weather = weatherClient.currentForNodes(network.nodes());
            } catch (CollectionException e) {
                LOG.warn("weather not collected: {}", e.getMessage());
            }
        }
        return new TrafficRun(runTimestamp, records, weather);
    }

    /**
     * Route distance and travel time between two points (cached for the configured lifetime).
     *
     * @throws IllegalArgumentException for invalid coordinates
     * @throws CollectionException      when the API fails after the retries or answers with an error status
     */
    @Timed("traffic.collect.directions")
    public DirectionsLeg directions(double originLat, double originLon, double destinationLat,
                                    double destinationLon) {
        Geo.requireLatitude("originLat", originLat);
        Geo.requireLongitude("originLon", originLon);
        Geo.requireLatitude("destinationLat", destinationLat);
        Geo.requireLongitude("destinationLon", destinationLon);
        String origin = String.format(Locale.ROOT, "%.6f,%.6f", originLat, originLon);
        String destination = String.format(Locale.ROOT, "%.6f,%.6f", destinationLat, destinationLon);
        String key = origin + ">" + destination;
        DirectionsLeg cached = cache.getIfPresent(key);
        if (cached != null) {
            fetcher.cacheHits.incrementAndGet();
            return cached;
        }
        // Fetch outside any cache lock: a slow or retried request must not block other look-ups.
        StringBuilder query = new StringBuilder().append("origin=").append(encode(origin))
                .append("&destination=").append(encode(destination)).append("&departure_time=now");
        if (apiKey.isPresent()) {
            query.append("&key=").append(encode(apiKey.reveal()));
        }
        URI uri = withQuery(baseUri, query.toString());
        String body = fetcher.get(uri);
        DirectionsLeg leg;
        try {
            leg = parse(body, uri);
        } catch (CollectionException unusable) {
            fetcher.failures.incrementAndGet(); // a 2xx answer that cannot be used is a failed look-up too
            throw unusable;
        }
        cache.put(key, leg);
        return leg;
    }

    private DirectionsLeg parse(String body, URI uri) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new CollectionException(fetcher.mask("directions response of " + uri + " is not JSON: "
                    + e.getMessage()));
        }
        String status = root.path("status").asText("OK");
        if (!"OK".equals(status)) {
            throw new CollectionException(fetcher.mask("directions API answered status " + status + " for " + uri
                    + ": " + root.path("error_message").asText("")));
        }
        JsonNode leg = root.path("routes").path(0).path("legs").path(0);
        JsonNode distance = leg.path("distance").path("value");
        JsonNode duration = leg.path("duration_in_traffic").path("value");
        if (!duration.isNumber()) {
            duration = leg.path("duration").path("value");
        }
        if (!distance.isNumber() || !duration.isNumber()) {
            throw new CollectionException(fetcher.mask("unexpected directions response for " + uri
                    + ": routes[0].legs[0].distance.value and duration.value must be numbers"));
        }
        return new DirectionsLeg(distance.asDouble() / 1000.0, duration.asDouble());
    }

    static URI withQuery(URI base, String query) {
        String text = base.toString();
        return URI.create(text + (text.contains("?") ? "&" : "?") + query);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "HttpDirectionsClient[" + baseUri + ", " + network + ", key=" + apiKey + "]";
    }

    /** Settings with safe defaults; validated as set. Not thread-safe. */
    public static final class Builder {
        private final URI baseUri;
        private final RoadNetwork network;
        private ApiKey apiKey = ApiKey.none();
        private int requestsPerMinute = 600;
        private int burstRequests = 10;
        private int maxParallelRequests = 4;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private NanoClock clock = NanoClock.system();
        private Sleeper sleeper = Sleeper.system();
        private Duration cacheTtl = Duration.ofSeconds(60);
        private long cacheMaxEntries = 1_000;
        private Clock wallClock = Clock.systemUTC();
        private WeatherClient weatherClient;
        private HttpClient httpClient;

        private Builder(URI baseUri, RoadNetwork network) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            this.network = Objects.requireNonNull(network, "network");
        }

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

        /** Time allowed for each response, in (0, 5 min]. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = requirePositive("requestTimeout", timeout);
            return this;
        }

        /** Time allowed to connect, in (0, 5 min]. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requirePositive("connectTimeout", timeout);
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /** Time source of the rate limiter and the cache. */
        public Builder clock(NanoClock nanoClock) {
            this.clock = Objects.requireNonNull(nanoClock, "clock");
            return this;
        }

        /** How rate-limit waits and retry backoffs wait. */
        public Builder sleeper(Sleeper waiting) {
            this.sleeper = Objects.requireNonNull(waiting, "sleeper");
            return this;
        }

        /** Lifetime of cached answers, in [0, 1 day] (0 disables reuse), and the cache size, >= 1. */
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

        /** Source of record timestamps (UTC). */
        public Builder wallClock(Clock clockUtc) {
            this.wallClock = Objects.requireNonNull(clockUtc, "wallClock");
            return this;
        }

        /** Also fetch weather per node with each run. */
        public Builder weather(WeatherClient client) {
            this.weatherClient = client;
            return this;
        }

        /** A preconfigured JDK client (its connect timeout then applies). */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        public HttpDirectionsClient build() {
            return new HttpDirectionsClient(this);
        }

        static Duration requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative() || value.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(name + " must be in (0, 5 min], got " + value);
            }
            return value;
        }
    }
}

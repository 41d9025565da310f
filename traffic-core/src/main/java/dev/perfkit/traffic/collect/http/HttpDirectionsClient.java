package dev.perfkit.traffic.collect.http;

import dev.perfkit.traffic.collect.DirectionsSource;
import dev.perfkit.traffic.collect.CollectionException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.geo.Geo;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.Edge;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.model.WeatherSample;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.concurrent.Future;
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
        this.fetcher = b.fetcher("directions");
        this.cache = b.cache();
        this.executor = b.executor("directions-");
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
    @Timed(TrafficMetrics.COLLECT_HTTP)
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
    @Timed(TrafficMetrics.COLLECT_DIRECTIONS)
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
    public static final class Builder extends HttpClientBuilder<Builder> {
        private final RoadNetwork network;
        private WeatherClient weatherClient;

        private Builder(URI baseUri, RoadNetwork network) {
            super(baseUri, Duration.ofSeconds(60));
            this.network = Objects.requireNonNull(network, "network");
        }

        /** Also fetch weather per node with each run. */
        public Builder weather(WeatherClient client) {
            this.weatherClient = client;
            return this;
        }

        public HttpDirectionsClient build() {
            return new HttpDirectionsClient(this);
        }
    }
}

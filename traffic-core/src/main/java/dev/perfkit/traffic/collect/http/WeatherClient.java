package dev.perfkit.traffic.collect.http;

import dev.perfkit.traffic.collect.CollectionException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.geo.Geo;
import dev.perfkit.traffic.io.TrafficReader;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.WeatherSample;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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
        this.fetcher = b.fetcher("weather");
        this.cache = b.cache();
        this.executor = b.executor("weather-");
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
    @Timed(TrafficMetrics.COLLECT_WEATHER)
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
            time = current.path("time").isTextual() ? TrafficReader.parseTimestamp(current.path("time").asText(), ZoneOffset.UTC) // GMT unless asked
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
    public static final class Builder extends HttpClientBuilder<Builder> {
        private double cellDegrees = 0.01;

        private Builder(URI baseUri) {
            super(baseUri, Duration.ofMinutes(10));
        }

        /** Size of the cache cells in degrees, in [0.0001, 1]. */
        public Builder cellDegrees(double degrees) {
            if (!(degrees >= 0.0001 && degrees <= 1)) {
                throw new IllegalArgumentException("cellDegrees must be in [0.0001, 1], got " + degrees);
            }
            this.cellDegrees = degrees;
            return this;
        }

        public WeatherClient build() {
            return new WeatherClient(this);
        }
    }
}

package dev.perfkit.traffic.collect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.collect.CollectionException;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.WeatherSample;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeatherClientTest {

    private static final String CURRENT = """
            {"latitude": 10.77, "longitude": 106.7, "current": {"time": "2025-10-30T03:15",
             "temperature_2m": 25.5, "precipitation": 0.2, "wind_speed_10m": 5.6}}""";

    @Test
    void currentForNodes_parsesAndSharesOneRequestPerCell() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> LocalServer.Reply.ok(CURRENT));
             WeatherClient client = WeatherClient.builder(server.uri("/v1/forecast")).clock(clock).sleeper(clock)
                     .maxParallelRequests(1).build()) {
            List<Node> nodes = List.of(new Node("a", 10.7701, 106.7001, ""), new Node("b", 10.7702, 106.7002, ""),
                    new Node("c", 10.80, 106.70, ""));

            List<WeatherSample> samples = client.currentForNodes(nodes);

            assertThat(samples).extracting(WeatherSample::nodeId).containsExactly("a", "b", "c");
            WeatherSample a = samples.get(0);
            assertThat(a.timestamp()).isEqualTo(LocalDateTime.of(2025, 10, 30, 3, 15));
            assertThat(a.temperatureC()).isEqualTo(25.5);
            assertThat(a.precipitationMm()).isEqualTo(0.2);
            assertThat(a.windSpeedKmh()).isEqualTo(5.6);
            assertThat(server.requests()).isEqualTo(2); // a and b share a 0.01-degree cell
            assertThat(client.stats().cacheHits()).isEqualTo(1);
            assertThat(server.requestUris.get(0).getQuery()).contains("current=temperature_2m,precipitation,"
                    + "wind_speed_10m").doesNotContain("apikey");
        }
    }

    @Test
    void current_failingServer_errorWithoutKey() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> new LocalServer.Reply(500, "oops", null));
             WeatherClient client = WeatherClient.builder(server.uri("/v1/forecast")).apiKey("WEATHER-SECRET")
                     .clock(clock).sleeper(clock)
                     .retryPolicy(new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(100))).build()) {

            assertThatThrownBy(() -> client.current(10.77, 106.70)).isInstanceOf(CollectionException.class)
                    .hasMessageContaining("HTTP 500").hasMessageContaining("apikey=****")
                    .hasMessageNotContaining("WEATHER-SECRET");
            assertThat(server.requests()).isEqualTo(2);
            assertThat(client.toString()).doesNotContain("WEATHER-SECRET");
        }
    }

    @Test
    void current_badCoordinates_rejected() throws Exception {
        try (WeatherClient client = WeatherClient.builder(java.net.URI.create("http://127.0.0.1:1/")).build()) {
            assertThatThrownBy(() -> client.current(91, 106)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lat").hasMessageContaining("91.0");
        }
    }
}

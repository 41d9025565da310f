package dev.perfkit.traffic.collect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.perfkit.traffic.collect.CollectionException;
import dev.perfkit.traffic.model.Edge;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HttpDirectionsClientTest {

    private static final String SECRET = "SECRET-KEY-123";
    private static final String LEG_1000M_150S = """
            {"status": "OK", "routes": [{"legs": [{"distance": {"value": 1000}, "duration": {"value": 120},
             "duration_in_traffic": {"value": 150}}]}]}""";

    /** A small network in central Ho Chi Minh City: {@code nodes} nodes in a row, edges both ways between them. */
    static RoadNetwork network(int nodes) {
        List<Node> nodeList = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            nodeList.add(new Node("n" + i, 10.77 + i * 0.005, 106.70, "node " + i));
        }
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i + 1 < nodes; i++) {
            edges.add(new Edge(edges.size(), "n" + i + "-n" + (i + 1), "n" + i, "n" + (i + 1), 0.55, "primary", ""));
            edges.add(new Edge(edges.size(), "n" + (i + 1) + "-n" + i, "n" + (i + 1), "n" + i, 0.55, "primary", ""));
        }
        return RoadNetwork.of(nodeList, edges);
    }

    private static HttpDirectionsClient.Builder client(LocalServer server, RoadNetwork network, ManualClock clock) {
        return HttpDirectionsClient.builder(server.uri("/directions/json"), network).apiKey(SECRET)
                .clock(clock).sleeper(clock).requestTimeout(Duration.ofSeconds(5))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8)));
    }

    @Test
    void collect_oneRecordPerEdge_speedFromDurationInTraffic() throws Exception {
        RoadNetwork network = network(3);
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> LocalServer.Reply.ok(LEG_1000M_150S));
             HttpDirectionsClient client = client(server, network, clock).build()) {

            TrafficRun run = client.collect();

            assertThat(run.records()).hasSize(4);
            TrafficRecord first = run.records().get(0);
            assertThat(first.nodeAId()).isEqualTo("n0");
            assertThat(first.nodeBId()).isEqualTo("n1");
            assertThat(first.distanceKm()).isEqualTo(1.0);
            assertThat(first.durationSec()).isEqualTo(150);
            assertThat(first.speedKmh()).isCloseTo(24.0, within(1e-12));
            assertThat(server.requestUris).hasSize(4).anySatisfy(uri -> assertThat(uri.getQuery())
                    .contains("origin=10.770000,106.700000&destination=10.775000,106.700000")
                    .contains("key=" + SECRET));
        }
    }

    @Test
    void directions_500Then429ThenOk_retriesWithBackoffAndRetryAfter() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> switch (n) {
            case 1 -> new LocalServer.Reply(500, "{\"error\": \"boom\"}", null);
            case 2 -> new LocalServer.Reply(429, "{\"error\": \"slow down\"}", "2");
            default -> LocalServer.Reply.ok(LEG_1000M_150S);
        }); HttpDirectionsClient client = client(server, network(2), clock).build()) {

            DirectionsLeg leg = client.directions(10.77, 106.70, 10.775, 106.70);

            assertThat(leg.durationSec()).isEqualTo(150);
            assertThat(server.requests()).isEqualTo(3);
            assertThat(client.stats().requests()).isEqualTo(3);
            assertThat(client.stats().retries()).isEqualTo(2);
            // 500 ms after the 500; after the 429 the server's Retry-After (2 s) beats the 1 s backoff.
            assertThat(clock.sleptNanos()).isEqualTo(Duration.ofMillis(2500).toNanos());
        }
    }

    @Test
    void directions_slowServer_timesOutRetriesThenFailsClearly() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> {
            release.await(10, TimeUnit.SECONDS); // a deliberately slow handler
            return LocalServer.Reply.ok(LEG_1000M_150S);
        }); HttpDirectionsClient client = client(server, network(2), clock)
                .requestTimeout(Duration.ofMillis(200))
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10))).build()) {
            try {
                assertThatThrownBy(() -> client.directions(10.77, 106.70, 10.775, 106.70))
                        .isInstanceOf(CollectionException.class)
                        .hasMessageContaining("timed out after 200 ms")
                        .hasMessageContaining("2 attempt(s)");
                assertThat(client.stats().failures()).isEqualTo(1);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void directions_clientError_isNotRetried() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> new LocalServer.Reply(403, "{\"error\": \"no\"}", null));
             HttpDirectionsClient client = client(server, network(2), clock).build()) {

            assertThatThrownBy(() -> client.directions(10.77, 106.70, 10.775, 106.70))
                    .isInstanceOf(CollectionException.class).hasMessageContaining("HTTP 403")
                    .hasMessageContaining("not retried");
            assertThat(server.requests()).isEqualTo(1);
            assertThat(clock.sleptNanos()).isZero();
        }
    }

    @Test
    void apiKey_neverAppearsInLogsExceptionsOrToString() throws Exception {
        ManualClock clock = new ManualClock();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        String message;
        // The server echoes the request, key included, in its error body: that must be masked too.
        try (LocalServer server = new LocalServer((n, uri) -> new LocalServer.Reply(503, "{\"echo\": \"" + uri + "\"}",
                null)); HttpDirectionsClient client = client(server, network(2), clock).build()) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                CollectionException failure = null;
                try {
                    client.collect();
                } catch (CollectionException e) {
                    failure = e;
                }
                assertThat(failure).isNotNull();
                message = failure.getMessage();
            } finally {
                System.setErr(originalErr);
            }
            assertThat(server.requestUris).allSatisfy(uri -> assertThat(uri.getQuery()).contains(SECRET));
            assertThat(client.toString()).doesNotContain(SECRET).contains("****");
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(message).doesNotContain(SECRET).contains("key=****").contains("HTTP 503");
        assertThat(logs).contains("retrying").contains("key=****").doesNotContain(SECRET);
        assertThat(ApiKey.of(SECRET).toString()).doesNotContain(SECRET);
    }

    @Test
    void directions_errorStatusInBody_reportedWithKeyMasked() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> LocalServer.Reply.ok(
                "{\"status\": \"REQUEST_DENIED\", \"error_message\": \"The provided API key " + SECRET
                        + " is invalid.\"}"));
             HttpDirectionsClient client = client(server, network(2), clock).build()) {

            assertThatThrownBy(() -> client.directions(10.77, 106.70, 10.775, 106.70))
                    .isInstanceOf(CollectionException.class).hasMessageContaining("REQUEST_DENIED")
                    .hasMessageNotContaining(SECRET);
        }
    }

    @Test
    void directions_repeatedLookUp_servedFromCacheUntilItExpires() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> LocalServer.Reply.ok(LEG_1000M_150S));
             HttpDirectionsClient client = client(server, network(2), clock).cache(Duration.ofSeconds(60), 100)
                     .build()) {
            client.directions(10.77, 106.70, 10.775, 106.70);
            client.directions(10.77, 106.70, 10.775, 106.70);

            assertThat(server.requests()).isEqualTo(1);
            assertThat(client.stats().cacheHits()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(61));
            client.directions(10.77, 106.70, 10.775, 106.70);
            assertThat(server.requests()).isEqualTo(2);
        }
    }

    @Test
    void collect_parallelRequests_boundedByMaxParallelRequests() throws Exception {
        RoadNetwork network = network(6); // 10 edges
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> LocalServer.Reply.ok(LEG_1000M_150S));
             HttpDirectionsClient client = client(server, network, clock).maxParallelRequests(2)
                     .rateLimit(6000, 100).build()) {

            TrafficRun run = client.collect();

            assertThat(run.records()).hasSize(10);
            assertThat(server.requests()).isEqualTo(10);
            assertThat(server.maxInFlight()).isBetween(1, 2);
        }
    }

    @Test
    void collect_someEdgesFail_runHasTheOthers() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> uri.getQuery().contains("origin=10.775000")
                ? new LocalServer.Reply(404, "{}", null) : LocalServer.Reply.ok(LEG_1000M_150S));
             HttpDirectionsClient client = client(server, network(2), clock).build()) {

            TrafficRun run = client.collect();

            assertThat(run.records()).extracting(TrafficRecord::nodeAId).containsExactly("n0");
            assertThat(client.stats().failures()).isEqualTo(1);
        }
    }

    @Test
    void builder_badSettings_rejectedWithRange() {
        HttpDirectionsClient.Builder builder = HttpDirectionsClient.builder(
                java.net.URI.create("http://127.0.0.1:1/"), network(2));
        assertThatThrownBy(() -> builder.maxParallelRequests(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 64]");
        assertThatThrownBy(() -> builder.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> builder.rateLimit(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("permitsPerMinute");
    }
}

package dev.perfkit.traffic.collect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.collect.CollectionException;
import com.sun.net.httpserver.HttpServer;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.pipeline.CycleSummary;
import dev.perfkit.traffic.pipeline.TrafficPipeline;
import dev.perfkit.traffic.storage.TrafficStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP collection against a misbehaving local server: garbage and truncated JSON, answers with impossible values,
 * 5xx until the retries run out, 429 storms, and a body that trickles in slower than the request timeout. Retries are
 * bounded, the rate limit holds for retries too, and a cycle stores exactly the edges that were collected: failed
 * edges are counted ({@link CollectorStats#failures()}), never filled in.
 *
 * <p>What this client does with failed edges (see {@link HttpDirectionsClient}): the run holds the edges that
 * succeeded, each failed edge is logged and counted, and only when every edge fails does {@code collect()} throw.
 */
class CollectionFaultsTest {

    private static final String LEG_1000M_150S = """
            {"status": "OK", "routes": [{"legs": [{"distance": {"value": 1000}, "duration": {"value": 120},
             "duration_in_traffic": {"value": 150}}]}]}""";

    @TempDir
    Path dir;

    /** 4 nodes in a row, 6 directed edges; node i is at latitude 10.77 + 0.005 i, so a query names its origin. */
    private static final RoadNetwork NETWORK = HttpDirectionsClientTest.network(4);

    private static boolean from(URI uri, int node) {
        return uri.getQuery().contains(String.format(Locale.ROOT, "origin=%.6f", 10.77 + node * 0.005));
    }

    private static HttpDirectionsClient.Builder client(URI base, ManualClock clock) {
        return HttpDirectionsClient.builder(base, NETWORK).clock(clock).sleeper(clock)
                .requestTimeout(Duration.ofSeconds(5))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8)));
    }

    @Test
    void collect_garbageTruncatedAndImpossibleAnswers_runHoldsOnlyTheGoodEdges_failuresCounted() throws Exception {
        // Edges from n1 get HTML, from n2 truncated JSON; from n3 a well-formed leg with a negative duration.
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> {
            if (from(uri, 1)) {
                return LocalServer.Reply.ok("<html><body>502 Bad Gateway</body></html>");
            }
            if (from(uri, 2)) {
                return LocalServer.Reply.ok(LEG_1000M_150S.substring(0, 40));
            }
            if (from(uri, 3)) {
                return LocalServer.Reply.ok(LEG_1000M_150S.replace("150", "-150"));
            }
            return LocalServer.Reply.ok(LEG_1000M_150S);
        }); HttpDirectionsClient client = client(server.uri("/directions/json"), clock).build()) {

            TrafficRun run = client.collect();

            // n0->n1 is good, n3->n2 parses (and is left for validation to reject); the 4 others failed.
            assertThat(run.records()).extracting(TrafficRecord::nodeAId).containsExactly("n0", "n3");
            assertThat(run.records().get(1).durationSec()).isEqualTo(-150);
            assertThat(client.stats().failures()).as("garbage answers are failed look-ups").isEqualTo(4);
            assertThat(server.requests()).as("a 200 with a body we cannot use is not retried").isEqualTo(6);
            assertThat(client.stats().retries()).isZero();
        }
    }

    @Test
    void cycle_partialCollection_storesExactlyTheCollectedValidEdges_andReportsTheRest() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> {
            if (from(uri, 1)) {
                return new LocalServer.Reply(503, "{\"error\": \"overloaded\"}", null);   // every attempt
            }
            if (from(uri, 3)) {
                return LocalServer.Reply.ok(LEG_1000M_150S.replace("150", "-150"));      // impossible value
            }
            return LocalServer.Reply.ok(LEG_1000M_150S);
        }); HttpDirectionsClient client = client(server.uri("/directions/json"), clock).build();
             TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"));
             TrafficPipeline pipeline = TrafficPipeline.builder().source(client).store(store).build()) {

            CycleSummary summary = pipeline.runCycle();

            int edges = NETWORK.edgeCount();
            long failedEdges = client.stats().failures();
            assertThat(failedEdges).isEqualTo(2);                                       // n1->n0, n1->n2
            assertThat(summary.rowsCollected()).isEqualTo(edges - failedEdges);         // nothing filled in
            assertThat(summary.rowsRejected()).isEqualTo(1);                            // n3->n2, with its reason
            assertThat(summary.rejectionReasons()).containsEntry("OUT_OF_RANGE:duration_sec", 1);
            assertThat(summary.rowsStored()).isEqualTo(summary.rowsValid()).isEqualTo(3);
            assertThat(store.count()).isEqualTo(3);
            assertThat(store.latest().orElseThrow().records()).extracting(TrafficRecord::nodeAId)
                    .containsExactlyInAnyOrder("n0", "n2", "n2");
            // 503 is retried: 3 attempts for each of the two failing edges, one request for each other edge.
            assertThat(server.requests()).isEqualTo(4 + 2 * 3);
            assertThat(client.stats().retries()).isEqualTo(2 * 2);
        }
    }

    @Test
    void cycle_everyEdgeFailsWith5xx_boundedRetriesThenTheCycleFails_andNothingIsStored() throws Exception {
        ManualClock clock = new ManualClock();
        try (LocalServer server = new LocalServer((n, uri) -> new LocalServer.Reply(500, "{}", null));
             HttpDirectionsClient client = client(server.uri("/directions/json"), clock).build();
             TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"));
             TrafficPipeline pipeline = TrafficPipeline.builder().source(client).store(store).build()) {

            assertThatThrownBy(pipeline::runCycle).isInstanceOf(CollectionException.class)
                    .hasMessageContaining("all 6 directions requests failed").hasMessageContaining("HTTP 500")
                    .hasMessageContaining("3 attempt(s)");

            assertThat(server.requests()).as("exactly maxAttempts per edge").isEqualTo(6 * 3);
            assertThat(client.stats().failures()).isEqualTo(6);
            // Each edge waited 500 ms then 1 s between its attempts (the manual clock records every wait).
            assertThat(clock.sleptNanos()).isGreaterThanOrEqualTo(6 * Duration.ofMillis(1500).toNanos());
            assertThat(store.count()).isZero();
        }
    }

    @Test
    void collect_429Storm_everyRequestIncludingRetriesKeepsToTheRateLimit() throws Exception {
        // 60 requests per minute with a burst of 2: the k-th request (from 0) may not start before (k - 1) s.
        ManualClock clock = new ManualClock();
        List<Long> startedAtNanos = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> attemptsPerEdge = new ConcurrentHashMap<>();
        try (LocalServer server = new LocalServer((n, uri) -> {
            startedAtNanos.add(clock.nanoTime());
            int attempt = attemptsPerEdge.computeIfAbsent(uri.getQuery(), q -> new AtomicInteger()).incrementAndGet();
            return attempt == 1 ? new LocalServer.Reply(429, "{\"error\": \"slow down\"}", "1")
                    : LocalServer.Reply.ok(LEG_1000M_150S);
        }); HttpDirectionsClient client = client(server.uri("/directions/json"), clock).rateLimit(60, 2)
                .maxParallelRequests(3).build()) {

            TrafficRun run = client.collect();

            assertThat(run.records()).hasSize(6);
            assertThat(server.requests()).isEqualTo(12);
            assertThat(client.stats().retries()).isEqualTo(6);
            List<Long> sorted = new ArrayList<>(startedAtNanos);
            Collections.sort(sorted);
            long intervalNanos = Duration.ofSeconds(1).toNanos();
            for (int k = 0; k < sorted.size(); k++) {
                assertThat(sorted.get(k)).as("request %d of %s", k, sorted)
                        .isGreaterThanOrEqualTo((k + 1 - 2) * intervalNanos);
            }
        }
    }

    @Test
    void directions_bodyTricklingSlowerThanTheTimeout_isCutOff_retriedAndFailsClearly() throws Exception {
        // Headers at once, then one byte every 50 ms for up to 10 s: only a timeout that covers the body ends it.
        CountDownLatch testOver = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch abandoned = new CountDownLatch(2);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 200 && !testOver.await(50, TimeUnit.MILLISECONDS); i++) {
                    body.write(' ');
                    body.flush();
                }
            } catch (IOException clientWentAway) {
                abandoned.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        ManualClock clock = new ManualClock();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/directions/json");
        try (HttpDirectionsClient client = client(base, clock).requestTimeout(Duration.ofMillis(300))
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10))).build()) {

            assertThatThrownBy(() -> client.directions(10.77, 106.70, 10.775, 106.70))
                    .isInstanceOf(CollectionException.class)
                    .hasMessageContaining("timed out after 300 ms").hasMessageContaining("2 attempt(s)");

            assertThat(requests.get()).isEqualTo(2);
            assertThat(client.stats().failures()).isEqualTo(1);
            assertThat(abandoned.await(10, TimeUnit.SECONDS)).as("both slow exchanges were closed by the client")
                    .isTrue();
        } finally {
            testOver.countDown();
            server.stop(0);
            executor.shutdownNow();
        }
    }
}

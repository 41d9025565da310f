package dev.perfkit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.PerfRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardTest {

    private static final String SCRIPT_NAME = "<script>document.title='pwned'</script>";

    private final PerfRegistry registry = new PerfRegistry();
    private final HttpClient http = HttpClient.newHttpClient();
    private Dashboard dashboard;

    @BeforeEach
    void start() throws IOException {
        for (int i = 1; i <= 50; i++) {
            registry.timerBuilder("orders.place").target(Duration.ofMillis(1)).register().record(i * 10_000L);
        }
        registry.timer(SCRIPT_NAME).record(1_000);
        dashboard = Dashboard.builder(registry).port(0).sampleInterval(Duration.ofMillis(200))
                .panel(DashboardPanel.keyValues("status", "Collection status", () -> Map.of("rows", 144)))
                .panel(DashboardPanel.points("map", "Speeds", "km/h", 5, 40,
                        () -> List.of(new DashboardPanel.Point(106.66, 10.76, 25, "A <b>"),
                                new DashboardPanel.Point(106.70, 10.78, 8, "B"))))
                .start();
        dashboard.sampleNow();
        registry.timer("orders.place").record(20_000);
        dashboard.sampleNow();
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    @Test
    void bindsLoopbackByDefault() {
        assertThat(dashboard.uri().getHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void apiRoutes_serveJsonPrometheusAndHealth() throws Exception {
        HttpResponse<String> metrics = get("/api/metrics");
        JsonNode timers = new ObjectMapper().readTree(metrics.body()).get("timers");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(timers).anySatisfy(t -> assertThat(t.get("name").asText()).isEqualTo("orders.place"));
        assertThat(get("/api/health").body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get("/metrics").body()).contains("orders_place_seconds_count 51");
        JsonNode history = new ObjectMapper().readTree(get("/api/history").body());
        assertThat(history.get("timers").get("orders.place")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(new ObjectMapper().readTree(get("/api/jvm").body()).get("heapUsedBytes").asLong()).isPositive();
        assertThat(new ObjectMapper().readTree(get("/api/panels").body()).get(1).get("content").get("points"))
                .hasSize(2);
        JsonNode profile = new ObjectMapper().readTree(get("/api/profile").body());
        assertThat(profile.has("methods") && profile.has("paths") && profile.has("overflowCalls")).isTrue();
    }

    @Test
    void metrics_negotiatesTextOpenMetricsOrProtobuf_byTheAcceptHeader() throws Exception {
        HttpResponse<String> text = get("/metrics");
        HttpResponse<String> openMetrics = get("/metrics", "application/openmetrics-text;version=1.0.0,"
                + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        HttpResponse<byte[]> protobuf = http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/metrics"))
                .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                        + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.2").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(text.body()).contains("orders_place_seconds_bucket{le=\"+Inf\"} 51").doesNotContain("# EOF");
        assertThat(openMetrics.headers().firstValue("Content-Type"))
                .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(openMetrics.body()).contains("orders_place_seconds_created ").endsWith("# EOF\n");
        assertThat(protobuf.headers().firstValue("Content-Type")).hasValue(
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");
        java.io.InputStream in = new java.io.ByteArrayInputStream(protobuf.body());
        List<String> families = new java.util.ArrayList<>();
        for (var f = io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics
                .MetricFamily.parseDelimitedFrom(in); f != null; f = f.getParserForType().parseDelimitedFrom(in)) {
            families.add(f.getName() + " " + f.getMetric(0).getHistogram().getSampleCount());
        }
        assertThat(families).contains("orders_place_seconds 51");
        assertThat(get("/metrics", "text/html").body()).isEqualTo(text.body());
    }

    @Test
    void nothingChangesStateOverHttp() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(dashboard.uri().resolve("/api/metrics"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method).isEqualTo(405);
        }
    }

    @Test
    void unknownAndTraversalPaths_are404_andNoFileIsRead() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(rawRequest("GET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 404");
        assertThat(rawRequest("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 404");
        assertThat(rawRequest("GET /dev/perfkit/dashboard/app.js HTTP/1.1\r\nHost: localhost\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
    }

    @Test
    void oversizedOrMalformedRequests_get4xx_andTheServerKeepsServing() throws Exception {
        assertThat(get("/" + "a".repeat(5_000)).statusCode()).isEqualTo(414);
        assertThat(rawRequest("GET /api/health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"))
                .startsWith("HTTP/1.1 413");
        String garbage = rawRequest("\u0001\u0002garbage\r\n\r\n");
        assertThat(garbage).satisfiesAnyOf(r -> assertThat(r).isEmpty(), r -> assertThat(r).startsWith("HTTP/1.1 4"));

        assertThat(get("/api/health").statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusOutput_passesPromtool(@TempDir Path dir) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool),
                "promtool is not installed here (Debian package 'prometheus'; CI installs it)");
        Path exposition = Files.writeString(dir.resolve("metrics.txt"), get("/metrics").body());

        Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(exposition.toFile()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(check.exitValue()).as("promtool check metrics said: %s", output).isZero();
    }

    @Test
    void page_inRealChromium_rendersTableAndPlots_andShowsMarkupNamesAsText(@TempDir Path dir) throws Exception {
        assumeTrue(HeadlessChromium.binary() != null,
                "chromium is not installed here (Debian package 'chromium'; CI installs it)");

        String dom = HeadlessChromium.dumpDom(dashboard.uri().toString(), dir, 8_000);

        assertThat(dom).contains("data-ready=\"true\"");
        assertThat(dom).containsPattern("<td class=\"name\">orders.place</td><td class=\"count\">51</td>");
        assertThat(dom).containsPattern("data-plotted=\"[1-9]");
        assertThat(dom).contains("<path d=\"M");
        assertThat(dom).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;");
        assertThat(dom).contains("<title>perfkit dashboard</title>");
        assertThat(dom).contains("data-panel=\"map\"").contains("<circle");
        Path png = Path.of("target", "dashboard-test.png");
        HeadlessChromium.screenshot(dashboard.uri().toString(), png, dir, 8_000);
        assertThat(Files.size(png)).isPositive();
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(dashboard.uri() + path.substring(1)))
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(dashboard.uri() + path.substring(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", dashboard.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[256];
            int n;
            try {
                n = in.read(buffer);
            } catch (java.net.SocketException e) {
                return "";
            }
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        }
    }
}

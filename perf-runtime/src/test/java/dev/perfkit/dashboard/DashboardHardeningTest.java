package dev.perfkit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.IntervalReader;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.TimerSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link DashboardTest} leaves out: HEAD on every route, encoded and aliased traversal attempts, header floods,
 * oversized and malformed headers, and many concurrent clients. Every bad request gets a 4xx or a closed connection,
 * never a file and never a dead server, and no request changes what the host's registry holds or reads.
 */
class DashboardHardeningTest {

    private static final List<String> ROUTES = List.of("/", "/index.html", "/app.js", "/style.css", "/api/metrics",
            "/api/history", "/api/jvm", "/api/panels", "/api/health", "/metrics");

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

    private final PerfRegistry registry = new PerfRegistry();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Dashboard dashboard;

    @BeforeEach
    void start() throws IOException {
        registry.timer("orders.place").record(25_000);
        registry.timer("orders.place").record(75_000);
        dashboard = Dashboard.builder(registry).port(0).sampleInterval(Duration.ofMinutes(10)).start();
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    @Test
    void head_onEveryRoute_isOkWithNoBody_andUnknownPathsAre404() throws Exception {
        for (String route : ROUTES) {
            HttpResponse<String> head = send("HEAD", route);
            assertThat(head.statusCode()).as(route).isEqualTo(200);
            assertThat(head.body()).as(route).isEmpty();
            assertThat(head.headers().firstValue("Content-Security-Policy")).as(route).isPresent();
        }
        assertThat(send("HEAD", "/etc/passwd").statusCode()).isEqualTo(404);
    }

    @Test
    void encodedAndAliasedTraversal_isNever200_andNeverAFile() throws Exception {
        List<String> targets = List.of(
                "/..%2f..%2f..%2fetc%2fpasswd",
                "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
                "/..%5c..%5cetc%5cpasswd",
                "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
                "//etc/passwd",
                "/./index.html/../../../../etc/passwd",
                "/api/../../../etc/passwd",
                "/app.js%00.html",
                "/app.js/",
                "/;/etc/passwd",
                "/dev/perfkit/dashboard/index.html",
                "/META-INF/MANIFEST.MF",
                "/dev/perfkit/PerfRegistry.class",
                "http://127.0.0.1/etc/passwd",
                "file:///etc/passwd");
        for (String target : targets) {
            String response = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(response).as(target).satisfiesAnyOf(
                    r -> assertThat(r).startsWith("HTTP/1.1 404"),
                    r -> assertThat(r).startsWith("HTTP/1.1 400"));
            assertThat(response).as(target).doesNotContain("root:").doesNotContain("<html")
                    .doesNotContain("Manifest-Version").doesNotContain("CAFEBABE");
        }
        assertThat(send("GET", "/api/health").statusCode()).isEqualTo(200);
    }

    @Test
    void headerFloodHugeHeaderAndMalformedRequests_get4xxOrAClosedConnection_andTheServerKeepsServing()
            throws Exception {
        StringBuilder flood = new StringBuilder("GET /api/health HTTP/1.1\r\nHost: localhost\r\n");
        for (int i = 0; i < 5_000; i++) {
            flood.append("X-Flood-").append(i).append(": ").append(i).append("\r\n");
        }
        List<String> requests = List.of(
                flood.append("\r\n").toString(),
                "GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Huge: " + "a".repeat(1 << 20) + "\r\n\r\n",
                "GET /api/health HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
                "GET /api/health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "GET /api/health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "GET /api/health HTTP/9.9\r\nHost: localhost\r\n\r\n",
                "GET\r\n\r\n",
                "GET /api/health HTTP/1.1\r\nNo colon here\r\n\r\n",
                "G\u00c9T /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "\r\n\r\n\r\n");
        for (String request : requests) {
            String response = raw(request);
            String shown = request.length() > 80 ? request.substring(0, 80) + "..." : request;
            assertThat(response).as(shown).satisfiesAnyOf(
                    r -> assertThat(r).isEmpty(),                       // connection closed without an answer
                    r -> assertThat(r).startsWith("HTTP/1.1 4"),
                    r -> assertThat(r).startsWith("HTTP/1.1 200")       // the junk was ignored, the GET served
                            .contains("{\"status\":\"UP\"}"));
            assertThat(response).as(shown).doesNotStartWith("HTTP/1.1 5");
            assertThat(send("GET", "/api/health").statusCode()).as("still serving after: %s", shown).isEqualTo(200);
        }
    }

    @Test
    void manyConcurrentClients_allServed_andTheHostRegistryIsUntouched() throws Exception {
        PerfTimer timer = registry.timer("orders.place");
        IntervalReader hostReader = registry.newIntervalReader();
        hostReader.read();
        timer.record(50_000);
        List<String> namesBefore = registry.timers().stream().map(PerfTimer::name).toList();
        TimerSnapshot before = timer.snapshot();

        int clients = 16;
        int requestsPerClient = 40;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < requestsPerClient; i++) {
                        String route = ROUTES.get((client + i) % ROUTES.size());
                        if (send(i % 5 == 0 ? "HEAD" : "GET", route).statusCode() == 200) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            int ok = 0;
            for (Future<Integer> result : results) {
                ok += result.get(120, TimeUnit.SECONDS);
            }
            assertThat(ok).isEqualTo(clients * requestsPerClient);
        } finally {
            pool.shutdownNow();
        }
        dashboard.sampleNow();

        assertThat(registry.timers()).extracting(PerfTimer::name).containsExactlyElementsOf(namesBefore);
        TimerSnapshot after = timer.snapshot();
        assertThat(after.count()).isEqualTo(before.count());
        assertThat(after.total()).isEqualTo(before.total());
        assertThat(hostReader.read()).as("the host's own interval cursor is not consumed by the dashboard")
                .filteredOn(s -> s.name().equals("orders.place")).singleElement()
                .satisfies(s -> assertThat(s.count()).isEqualTo(1));
        assertThat(registry.intervalSnapshots()).as("nor is the registry's default cursor")
                .filteredOn(s -> s.name().equals("orders.place")).singleElement()
                .satisfies(s -> assertThat(s.count()).isEqualTo(3));
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(dashboard.uri() + path.substring(1)))
                        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes on a fresh connection; returns the whole response, or what came before a close or a pause. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", dashboard.port())) {
            socket.setSoTimeout(2_000);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8_192];
                int n;
                while (!complete(answer.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketException | SocketTimeoutException closedOrSilent) {
                // the server closed the connection (reset) or said nothing more
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Whether {@code response} holds its headers and as many body bytes as its Content-length says. */
    private static boolean complete(String response) {
        int headersEnd = response.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return false;
        }
        Matcher length = CONTENT_LENGTH.matcher(response.substring(0, headersEnd));
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return response.length() >= headersEnd + 4 + bodyLength;
    }
}

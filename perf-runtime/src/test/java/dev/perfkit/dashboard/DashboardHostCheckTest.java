package dev.perfkit.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.PerfRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code Host} header check against DNS rebinding, with requests written on a raw socket (the JDK's HTTP client
 * does not let a caller set {@code Host}): a forged name gets 421 and no data, the loopback names, the address reached
 * and explicitly allowed names are served.
 */
class DashboardHostCheckTest {

    private final PerfRegistry registry = new PerfRegistry();
    private Dashboard dashboard;

    @AfterEach
    void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @Test
    void forgedHost_gets421_withoutTheData() throws Exception {
        registry.timer("orders.secret_timer").record(1_000);
        dashboard = Dashboard.builder(registry).port(0).sampleInterval(Duration.ofMinutes(10)).start();
        int port = dashboard.port();

        for (String host : new String[] {"evil.com", "evil.com:" + port, "127.0.0.1.evil.com:" + port,
                "localhost:" + (port == 65_535 ? port - 1 : port + 1), ""}) {
            String response = get("/api/metrics", host);
            assertThat(response).as("Host: %s", host).startsWith("HTTP/1.1 421")
                    .doesNotContain("orders.secret_timer");
        }
        assertThat(rawGetWithoutHost("/api/metrics")).startsWith("HTTP/1.1 421");
    }

    @Test
    void loopbackNames_theAddressReached_andAllowedNames_areServed() throws Exception {
        registry.timer("orders.place").record(1_000);
        dashboard = Dashboard.builder(registry).port(0).sampleInterval(Duration.ofMinutes(10))
                .allowHost("Dashboard.Example").start();
        int port = dashboard.port();

        for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "LOCALHOST", "localhost",
                "dashboard.example:" + port, "DASHBOARD.example"}) {
            assertThat(get("/api/metrics", host)).as("Host: %s", host).startsWith("HTTP/1.1 200")
                    .contains("orders.place");
        }
        assertThat(get("/api/metrics", "other.example:" + port)).startsWith("HTTP/1.1 421");
    }

    @Test
    void health_isDegradedWithTheReason_whileTheCheckReportsOne() throws Exception {
        AtomicReference<String> reason = new AtomicReference<>();
        dashboard = Dashboard.builder(registry).port(0).sampleInterval(Duration.ofMinutes(10)).health(reason::get)
                .start();
        String host = "127.0.0.1:" + dashboard.port();

        assertThat(get("/api/health", host)).startsWith("HTTP/1.1 200").endsWith("{\"status\":\"UP\"}");
        reason.set("2 failed cycles, last: disk \"full\"");
        assertThat(get("/api/health", host)).startsWith("HTTP/1.1 503")
                .endsWith("{\"status\":\"DEGRADED\",\"reason\":\"2 failed cycles, last: disk \\\"full\\\"\"}");
        reason.set(null);
        assertThat(get("/api/health", host)).startsWith("HTTP/1.1 200");
    }

    @Test
    void allowHost_withAPortOrPath_isRejected() {
        Dashboard.Builder builder = Dashboard.builder(registry);
        for (String bad : new String[] {"", "  ", "host:8080", "host/path", "[::1"}) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .isThrownBy(() -> builder.allowHost(bad)).withMessageContaining("allowed host");
        }
        builder.allowHost("[::1]").allowHost("10.0.0.5");
    }

    private String get(String path, String host) throws IOException {
        return exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    private String rawGetWithoutHost(String path) throws IOException {
        return exchange("GET " + path + " HTTP/1.1\r\nConnection: close\r\n\r\n");
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", dashboard.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}

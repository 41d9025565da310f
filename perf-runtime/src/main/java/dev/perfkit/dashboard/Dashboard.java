package dev.perfkit.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.perfkit.PerfRegistry;
import dev.perfkit.export.JsonReport;
import dev.perfkit.export.PrometheusOptions;
import dev.perfkit.export.PrometheusExporter;
import dev.perfkit.export.PrometheusProtobuf;
import dev.perfkit.export.PrometheusText;
import dev.perfkit.internal.JsonWriter;
import dev.perfkit.profile.MethodProfile;
import dev.perfkit.profile.Profile;
import dev.perfkit.profile.SortKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded, read-only web dashboard for a {@link PerfRegistry}: one HTML page (per-timer table, latency over time,
 * JVM resources, host panels) and its data as JSON, plus Prometheus text.
 *
 * <table>
 *   <caption>Routes (GET or HEAD only)</caption>
 *   <tr><td>{@code /}</td><td>the page</td></tr>
 *   <tr><td>{@code /api/metrics}</td><td>cumulative snapshots, {@link JsonReport} format</td></tr>
 *   <tr><td>{@code /api/history}</td><td>interval points per timer and JVM samples</td></tr>
 *   <tr><td>{@code /api/jvm}</td><td>heap, CPU, GC, threads</td></tr>
 *   <tr><td>{@code /api/panels}</td><td>host panels</td></tr>
 *   <tr><td>{@code /api/profile}</td><td>the {@code @Profiled} call-tree profile: top methods by total time</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus exposition, by the {@code Accept} header: text 0.0.4 (the default),
 *   OpenMetrics 1.0 text, or protobuf with native histograms; histograms with the buckets of {@link Builder#prometheus(PrometheusOptions)}</td></tr>
 *   <tr><td>{@code /api/health}</td><td>{@code {"status":"UP"}} (200), or {@code {"status":"DEGRADED","reason":..}}
 *   (503) while the {@link Builder#health health check} reports a reason</td></tr>
 * </table>
 *
 * <p><b>Security.</b> Binds 127.0.0.1 unless told otherwise. A request whose {@code Host} header names neither the
 * address it reached, {@code localhost}, {@code 127.0.0.1}, {@code [::1]} nor a name allowed with
 * {@link Builder#allowHost} (each with the dashboard's port, or without a port) gets 421 before anything is read, so
 * a page of another origin that rebinds its DNS name to this machine cannot read the dashboard. Nothing changes state
 * over HTTP: other methods get 405,
 * unknown paths 404 (no file is ever read from disk: the page's assets are fixed class-path resources), request
 * targets over 2 KiB 414, requests with a body 413. Names are escaped in JSON and rendered as text by the page; the
 * page is served with a restrictive Content-Security-Policy.
 *
 * <p>Thread-safe. {@link #close()} stops the server and the sampler.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    private static final int MAX_TARGET_LENGTH = 2048;
    private static final int PROFILE_ROWS = 30;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Map<String, String[]> ASSETS = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/style.css", new String[] {"style.css", "text/css; charset=utf-8"});

    private final PerfRegistry registry;
    private final PrometheusOptions prometheus;
    /** Serves /metrics straight from the timers (no snapshots); one scrape at a time. */
    private final PrometheusExporter exporter;
    private final List<DashboardPanel> panels;
    private final MetricsHistory history;
    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService sampler;
    private final Set<String> allowedHosts;
    private final Supplier<String> health;

    private Dashboard(Builder builder) throws IOException {
        this.allowedHosts = Set.copyOf(builder.allowedHosts);
        this.health = builder.health;
        this.registry = builder.registry;
        this.prometheus = builder.prometheus != null ? builder.prometheus
                : PrometheusOptions.forConfig(registry.config());
        this.exporter = new PrometheusExporter(registry, prometheus);
        this.panels = List.copyOf(builder.panels);
        this.history = new MetricsHistory(registry, builder.historyLength);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(builder.bindAddress),
                builder.port), 16);
        this.handlers = Executors.newFixedThreadPool(2, daemon("perfkit-dashboard-http"));
        this.sampler = Executors.newSingleThreadScheduledExecutor(daemon("perfkit-dashboard-sampler"));
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
        long periodMillis = Math.max(1, builder.sampleInterval.toMillis());
        sampler.scheduleAtFixedRate(this::sampleSafely, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** A builder for a dashboard over {@code registry}. */
    public static Builder builder(PerfRegistry registry) {
        return new Builder(registry);
    }

    /** The port the server listens on (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + address.getPort() + "/");
    }

    /** Takes one history sample now (the sampler also does, on its interval). */
    public void sampleNow() {
        history.sample();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }

    private void sampleSafely() {
        try {
            history.sample();
        } catch (Throwable e) {
            // An Error too (out of memory in a full heap): thrown out of the task, it would cancel every later sample
            // and leave the charts frozen. This sample is skipped; the next one runs.
            try {
                LOG.warn("perfkit dashboard: sampling failed", e);
            } catch (Throwable ignored) {
                // still out of memory: nothing to report with
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!hostAllowed(exchange)) {
                send(exchange, 421, "text/plain; charset=utf-8", "misdirected request: Host header not served here\n",
                        "HEAD".equals(exchange.getRequestMethod()));
                return;
            }
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            if (!"GET".equals(method) && !head) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n", false);
                return;
            }
            String target = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (target == null || target.length() + (query == null ? 0 : query.length()) > MAX_TARGET_LENGTH) {
                send(exchange, 414, "text/plain; charset=utf-8", "request target too long\n", head);
                return;
            }
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            if ((length != null && !length.equals("0")) || exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
                send(exchange, 413, "text/plain; charset=utf-8", "request bodies are not accepted\n", head);
                return;
            }
            route(exchange, target, head);
        } catch (RuntimeException e) {
            LOG.warn("perfkit dashboard: request failed", e);
            try {
                send(exchange, 500, "text/plain; charset=utf-8", "internal error\n", false);
            } catch (IOException | RuntimeException ignored) {
                // the response may already be committed
            }
        }
    }

    private void route(HttpExchange exchange, String path, boolean head) throws IOException {
        String[] asset = ASSETS.get(path);
        if (asset != null) {
            send(exchange, 200, asset[1], resource(asset[0]), head);
            return;
        }
        switch (path) {
            case "/api/metrics" -> send(exchange, 200, "application/json", JsonReport.render(registry.snapshots()),
                    head);
            case "/api/history" -> send(exchange, 200, "application/json", JsonWriter.of(history.toJson()), head);
            case "/api/jvm" -> send(exchange, 200, "application/json", JsonWriter.of(JvmStats.toJson()), head);
            case "/api/panels" -> send(exchange, 200, "application/json", JsonWriter.of(panelsJson()), head);
            case "/api/profile" -> send(exchange, 200, "application/json", JsonWriter.of(profileJson()), head);
            case "/api/health" -> health(exchange, head);
            case "/metrics" -> metrics(exchange, head);
            default -> send(exchange, 404, "text/plain; charset=utf-8", "not found\n", head);
        }
    }

    /**
     * Whether the {@code Host} header names this server: the local address the request reached, a loopback name, or
     * an allowed name; with this server's port or none.
     */
    private boolean hostAllowed(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Host");
        if (header == null || header.isBlank()) {
            return false;
        }
        String value = header.trim().toLowerCase(Locale.ROOT);
        String host = value;
        String portText = null;
        int colon = value.lastIndexOf(':');
        if (colon >= 0 && (!value.startsWith("[") || value.lastIndexOf(']') < colon)) {
            host = value.substring(0, colon);
            portText = value.substring(colon + 1);
        }
        if (portText != null && !portText.equals(Integer.toString(port()))) {
            return false;
        }
        if (LOOPBACK_HOSTS.contains(host) || allowedHosts.contains(host)) {
            return true;
        }
        InetAddress local = exchange.getLocalAddress().getAddress();
        String literal = local.getHostAddress().toLowerCase(Locale.ROOT);
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        return host.equals(local instanceof java.net.Inet6Address ? "[" + literal + "]" : literal);
    }

    private void health(HttpExchange exchange, boolean head) throws IOException {
        String reason;
        try {
            reason = health.get();
        } catch (RuntimeException e) {
            reason = "health check failed: " + e;
        }
        if (reason == null) {
            send(exchange, 200, "application/json", "{\"status\":\"UP\"}", head);
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "DEGRADED");
            body.put("reason", reason);
            send(exchange, 503, "application/json", JsonWriter.of(body), head);
        }
    }

    private void metrics(HttpExchange exchange, boolean head) throws IOException {
        exchange.getResponseHeaders().set("Vary", "Accept");
        switch (MetricsFormat.negotiate(exchange.getRequestHeaders().getFirst("Accept"))) {
            case PROTOBUF -> send(exchange, 200, PrometheusProtobuf.CONTENT_TYPE, exporter.protobuf(), head);
            case OPENMETRICS -> send(exchange, 200, PrometheusText.OPENMETRICS_CONTENT_TYPE,
                    PrometheusText.renderOpenMetrics(registry.snapshots(), prometheus), head);
            case TEXT -> send(exchange, 200, PrometheusText.CONTENT_TYPE, exporter.text(), head);
        }
    }

    private Map<String, Object> profileJson() {
        Profile profile = registry.profile();
        List<Map<String, Object>> methods = new ArrayList<>();
        for (MethodProfile m : profile.top(SortKey.TOTAL, PROFILE_ROWS)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", m.name());
            row.put("calls", m.calls());
            row.put("totalNanos", m.totalNanos());
            row.put("selfNanos", m.selfNanos());
            row.put("cpuNanos", m.cpuNanos());
            row.put("allocatedBytes", m.allocatedBytes());
            methods.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("paths", profile.paths().size());
        out.put("overflowCalls", profile.overflowCalls());
        out.put("methods", methods);
        return out;
    }

    private List<Map<String, Object>> panelsJson() {
        List<Map<String, Object>> out = new ArrayList<>(panels.size());
        for (DashboardPanel panel : panels) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", panel.id());
            p.put("title", panel.title());
            try {
                p.put("content", panel.content());
            } catch (RuntimeException e) {
                p.put("content", Map.of("kind", "error", "message", String.valueOf(e.getMessage())));
            }
            out.add(p);
        }
        return out;
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body, boolean head)
            throws IOException {
        send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8), head);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes, boolean head)
            throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                        + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        headers.set("Referrer-Policy", "no-referrer");
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing dashboard resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Builder of a {@link Dashboard}. Not thread-safe. */
    public static final class Builder {
        private final PerfRegistry registry;
        private final List<DashboardPanel> panels = new ArrayList<>();
        private String bindAddress = "127.0.0.1";
        private int port = 8080;
        private Duration sampleInterval = Duration.ofSeconds(1);
        private int historyLength = 300;
        private PrometheusOptions prometheus;
        private final Set<String> allowedHosts = new HashSet<>();
        private Supplier<String> health = () -> null;

        private Builder(PerfRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Address to listen on; default 127.0.0.1 (loopback only). {@code 0.0.0.0} exposes it to the network. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** Port, 0 to 65535 (0 picks a free one); default 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** How often latency-over-time and JVM history are sampled; default one second. */
        public Builder sampleInterval(Duration sampleInterval) {
            if (sampleInterval.isNegative() || sampleInterval.isZero()) {
                throw new IllegalArgumentException("sampleInterval must be positive, was " + sampleInterval);
            }
            this.sampleInterval = sampleInterval;
            return this;
        }

        /** Points of history kept per timer, 2 to 100,000; default 300. */
        public Builder historyLength(int historyLength) {
            if (historyLength < 2 || historyLength > 100_000) {
                throw new IllegalArgumentException("historyLength must be 2 to 100000, was " + historyLength);
            }
            this.historyLength = historyLength;
            return this;
        }

        /**
         * How {@code /metrics} exposes timers (histogram or summary, classic buckets per unit and per timer, native
         * schema); default {@link PrometheusOptions#forConfig} of the registry's config.
         */
        public Builder prometheus(PrometheusOptions options) {
            this.prometheus = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Also serves requests whose {@code Host} header is {@code name} (a DNS name or an address literal, IPv6 in
         * brackets; compared case-insensitively, with the dashboard's port or none). Loopback names and the address a
         * request reached are always served.
         *
         * @throws IllegalArgumentException for a blank name or one with a port or a path
         */
        public Builder allowHost(String name) {
            Objects.requireNonNull(name, "name");
            String host = name.trim().toLowerCase(Locale.ROOT);
            if (host.isEmpty() || host.contains("/") || (host.contains(":") && !host.startsWith("["))
                    || (host.startsWith("[") && !host.endsWith("]"))) {
                throw new IllegalArgumentException("allowed host must be a name or address without port or path, "
                        + "IPv6 in brackets, was '" + name + "'");
            }
            allowedHosts.add(host);
            return this;
        }

        /**
         * The health check behind {@code /api/health}: called on each request from an HTTP thread (so it must be
         * thread-safe and quick); null means UP, otherwise the reason the host is DEGRADED (answered with 503).
         * Default: always UP.
         */
        public Builder health(Supplier<String> degradedReason) {
            this.health = Objects.requireNonNull(degradedReason, "degradedReason");
            return this;
        }

        /** Adds a host panel, shown in the order added. */
        public Builder panel(DashboardPanel panel) {
            panels.add(Objects.requireNonNull(panel, "panel"));
            return this;
        }

        /** Binds the port and starts serving. */
        public Dashboard start() throws IOException {
            return new Dashboard(this);
        }
    }
}

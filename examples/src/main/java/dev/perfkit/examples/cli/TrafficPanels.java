package dev.perfkit.examples.cli;

import dev.perfkit.Durations;
import dev.perfkit.dashboard.DashboardPanel;
import dev.perfkit.traffic.collect.DirectionsSource;
import dev.perfkit.traffic.collect.http.HttpDirectionsClient;
import dev.perfkit.traffic.collect.http.CollectorStats;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.pipeline.CycleSummary;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The traffic example's dashboard panels: collection status, data-quality trend, API call statistics, and a map of
 * the intersections coloured by the current mean speed of the segments leaving them. Fed after each cycle;
 * thread-safe (the dashboard reads from its HTTP threads).
 */
final class TrafficPanels {

    private static final int TREND_POINTS = 120;

    private final DirectionsSource source;
    private final RoadNetwork network;
    private final String dataDirPrefix;
    private final String database;
    private final Deque<double[]> validPercent = new ArrayDeque<>();
    private final Deque<double[]> rejected = new ArrayDeque<>();
    private CycleSummary last;
    private long cycles;
    private long failures;
    private String lastFailure = "none";
    private boolean lastCycleFailed;
    private Map<String, Double> speedByNode = Map.of();

    /**
     * @param dataDir  the data directory; its absolute path is cut from messages shown over HTTP
     * @param database how the database is shown: its file name, or a masked JDBC URL
     */
    TrafficPanels(DirectionsSource source, Path dataDir, String database) {
        this.source = source;
        this.network = source.network();
        this.dataDirPrefix = dataDir.toAbsolutePath().normalize() + java.io.File.separator;
        this.database = database;
    }

    synchronized void cycleDone(CycleSummary summary) {
        last = summary;
        cycles++;
        lastCycleFailed = false;
        double now = System.currentTimeMillis();
        double total = Math.max(1, summary.rowsCollected());
        add(validPercent, new double[] {now, 100.0 * summary.rowsValid() / total});
        add(rejected, new double[] {now, summary.rowsRejected()});
        Map<String, double[]> sums = new HashMap<>();
        for (TrafficRecord r : summary.validation().validRecords()) {
            if (r.nodeAId() != null && Double.isFinite(r.speedKmh())) {
                double[] s = sums.computeIfAbsent(r.nodeAId(), id -> new double[2]);
                s[0] += r.speedKmh();
                s[1]++;
            }
        }
        Map<String, Double> speeds = new HashMap<>();
        sums.forEach((id, s) -> speeds.put(id, s[0] / s[1]));
        speedByNode = speeds;
    }

    synchronized void cycleFailed(Throwable failure) {
        failures++;
        lastCycleFailed = true;
        lastFailure = describe(failure);
    }

    /**
     * The reason {@code /api/health} is DEGRADED (the last cycle failed), or null while the last cycle succeeded.
     */
    synchronized String degradedReason() {
        return lastCycleFailed ? "the last cycle failed (" + failures + " failed of " + (cycles + failures)
                + "): " + lastFailure : null;
    }

    /** A failure as one line: its type and message, and its cause's; paths relative to the data directory. */
    String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getSimpleName()).append(": ")
                .append(failure.getMessage());
        Throwable cause = failure.getCause();
        if (cause != null && cause.getMessage() != null && (failure.getMessage() == null
                || !failure.getMessage().contains(cause.getMessage()))) {
            text.append(" (caused by ").append(cause.getClass().getSimpleName()).append(": ")
                    .append(cause.getMessage()).append(')');
        }
        // an SQLite file outside the data directory is shown by its name only
        return text.toString().replace(dataDirPrefix, "").replaceAll("jdbc:sqlite:[^\\s]*[/\\\\]", "jdbc:sqlite:");
    }

    private static void add(Deque<double[]> points, double[] point) {
        points.addLast(point);
        if (points.size() > TREND_POINTS) {
            points.removeFirst();
        }
    }

    List<DashboardPanel> panels() {
        return List.of(
                DashboardPanel.keyValues("collection", "Collection status", this::status),
                DashboardPanel.series("quality", "Data quality per cycle", "", this::quality),
                DashboardPanel.keyValues("api", "API calls", this::apiCalls),
                DashboardPanel.points("speed-map", "Intersections by current speed", "km/h", 10, 35, this::map));
    }

    private synchronized Map<String, ?> status() {
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("source", source.name());
        rows.put("database", database);
        rows.put("cycles", cycles);
        rows.put("failed cycles", failures);
        rows.put("last failure", lastFailure);
        if (last != null) {
            rows.put("last run", last.runTimestamp() + "Z");
            rows.put("rows collected", last.rowsCollected());
            rows.put("rows stored", last.rowsStored());
            rows.put("rows deleted by retention", last.rowsDeleted());
            rows.put("rows rejected", last.rowsRejected() + (last.rejectionReasons().isEmpty() ? ""
                    : " " + last.rejectionReasons()));
            rows.put("forecasts", last.forecastCount());
            rows.put("cycle time", Durations.format(last.totalNanos()));
        }
        return rows;
    }

    private synchronized Map<String, List<double[]>> quality() {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        series.put("valid rows %", new ArrayList<>(validPercent));
        series.put("rejected rows", new ArrayList<>(rejected));
        return series;
    }

    private synchronized Map<String, ?> apiCalls() {
        Map<String, Object> rows = new LinkedHashMap<>();
        if (source instanceof HttpDirectionsClient client) {
            CollectorStats stats = client.stats();
            rows.put("requests", stats.requests());
            rows.put("retries", stats.retries());
            rows.put("failures", stats.failures());
            rows.put("cache hits", stats.cacheHits());
        } else {
            rows.put("source", source.name() + " (no network calls)");
            rows.put("runs collected", cycles);
            rows.put("records per run", last == null ? 0 : last.rowsCollected());
        }
        return rows;
    }

    private synchronized List<DashboardPanel.Point> map() {
        List<DashboardPanel.Point> points = new ArrayList<>(network.nodeCount());
        for (Node node : network.nodes()) {
            double speed = speedByNode.getOrDefault(node.id(), Double.NaN);
            points.add(new DashboardPanel.Point(node.lon(), node.lat(), speed,
                    node.name() == null || node.name().isBlank() ? node.id() : node.name()));
        }
        return points;
    }
}

package dev.perfkit.traffic.collect;

import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.geo.Geo;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.Edge;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficColumns;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Synthetic travel times for any number of edges, reproducible from a seed: for load tests, benchmarks and the CLI's
 * {@code --source simulated --edges N}. Thread-safe (collection is synchronised).
 *
 * <p>The network is a square grid of intersections around central Ho Chi Minh City (spacing 0.004 degrees, about
 * 440 m) with directed edges between grid neighbours, as many as asked. Each edge has a free-flow speed drawn from
 * 25-45 km/h; the speed at a time of day is free-flow times a daily pattern (dips around 08:00, 12:00 and 18:00 of
 * the timestamp's clock) plus per-edge AR(1) noise, floored at 3 km/h. Route distance is 1.3 x the straight line,
 * durations are whole seconds and speed is distance / duration, as in the real data. Runs are {@code interval} apart.
 */
public final class SimulatedSource implements DirectionsSource {

    /** The rush hours of the pattern are local time of the city. */
    private static final java.time.zone.ZoneRules CITY_RULES = CityTime.DEFAULT_ZONE.getRules();

    private static final double CENTRE_LAT = 10.7769;
    private static final double CENTRE_LON = 106.7009;
    private static final double SPACING_DEG = 0.004;

    private final RoadNetwork network;
    private final double[] routeKm;
    private final double[] freeFlowKmh;
    private final double[] noiseKmh;
    private final double noiseSigmaKmh;
    private final Duration interval;
    private final Random random;
    private LocalDateTime next; // guarded by this

    private SimulatedSource(Builder b) {
        this.random = new Random(b.seed);
        this.network = grid(b.edgeCount);
        this.interval = b.interval;
        this.noiseSigmaKmh = b.noiseSigmaKmh;
        this.next = b.start;
        int edges = network.edgeCount();
        this.routeKm = new double[edges];
        this.freeFlowKmh = new double[edges];
        this.noiseKmh = new double[edges];
        for (int e = 0; e < edges; e++) {
            Edge edge = network.edge(e);
            routeKm[e] = Math.round(edge.lengthKm() * 1.3 * 1000) / 1000.0;
            freeFlowKmh[e] = 25 + 20 * random.nextDouble();
        }
    }

    /** A builder for {@code edgeCount} edges, in [1, 1000000]. */
    public static Builder builder(int edgeCount) {
        return new Builder(edgeCount);
    }

    @Override
    public String name() {
        return "simulated";
    }

    @Override
    public RoadNetwork network() {
        return network;
    }

    /** The next run: one record per edge. */
    @Timed(TrafficMetrics.COLLECT_SIMULATED)
    @Override
    public synchronized TrafficRun collect() {
        LocalDateTime runTimestamp = next;
        next = next.plus(interval);
        long runEpochSecond = runTimestamp.toEpochSecond(ZoneOffset.UTC);
        List<TrafficRecord> records = new ArrayList<>(network.edgeCount());
        for (int e = 0; e < network.edgeCount(); e++) {
            Edge edge = network.edge(e);
            double durationSec = durationSec(e, runEpochSecond);
            records.add(new TrafficRecord(edge.startNodeId(), edge.endNodeId(), runTimestamp.plusNanos(e * 1_000_000L),
                    routeKm[e], durationSec, routeKm[e] / (durationSec / 3600.0), "simulated"));
        }
        return new TrafficRun(runTimestamp, records);
    }

    /**
     * The next {@code runs} runs directly in columnar form (no record objects): for scaling tests and benchmarks.
     * Advances the same state as {@link #collect()}.
     */
    public synchronized TrafficColumns collectColumns(int runs) {
        if (runs < 0) {
            throw new IllegalArgumentException("runs must be >= 0, got " + runs);
        }
        int edges = network.edgeCount();
        TrafficColumns.Builder builder = TrafficColumns.builder(network, runs * edges);
        for (int r = 0; r < runs; r++) {
            long runEpochSecond = next.toEpochSecond(ZoneOffset.UTC);
            next = next.plus(interval);
            for (int e = 0; e < edges; e++) {
                double durationSec = durationSec(e, runEpochSecond);
                builder.add(e, runEpochSecond + e / 1000, routeKm[e] / (durationSec / 3600.0), routeKm[e],
                        durationSec);
            }
        }
        return builder.build();
    }

    private double durationSec(int edge, long epochSecond) {
        double hour = Math.floorMod(CityTime.localEpochSecond(epochSecond, CITY_RULES), 86_400L) / 3600.0;
        double pattern = 1 - 0.35 * bump(hour, 8.0) - 0.15 * bump(hour, 12.0) - 0.40 * bump(hour, 18.0);
        noiseKmh[edge] = 0.7 * noiseKmh[edge] + noiseSigmaKmh * random.nextGaussian();
        double speedKmh = Math.max(3.0, freeFlowKmh[edge] * pattern + noiseKmh[edge]);
        return Math.max(1, Math.round(routeKm[edge] / speedKmh * 3600.0));
    }

    private static double bump(double hour, double centre) {
        double d = (hour - centre) / 1.2;
        return Math.exp(-d * d);
    }

    /** A grid just large enough for {@code edgeCount} directed edges between neighbours. */
    private static RoadNetwork grid(int edgeCount) {
        int side = 2;
        while (4L * side * (side - 1) < edgeCount) {
            side++;
        }
        double origin = (side - 1) * SPACING_DEG / 2;
        List<Node> nodes = new ArrayList<>(side * side);
        for (int row = 0; row < side; row++) {
            for (int col = 0; col < side; col++) {
                double lat = CENTRE_LAT - origin + row * SPACING_DEG;
                double lon = CENTRE_LON - origin + col * SPACING_DEG;
                nodes.add(new Node(String.format(Locale.ROOT, "sim-%d-%d", row, col), lat, lon,
                        "simulated " + row + "/" + col));
            }
        }
        List<Edge> edges = new ArrayList<>(edgeCount);
        outer:
        for (int row = 0; row < side; row++) {
            for (int col = 0; col < side; col++) {
                int[][] neighbours = {{row, col + 1}, {row + 1, col}};
                for (int[] nb : neighbours) {
                    if (nb[0] >= side || nb[1] >= side) {
                        continue;
                    }
                    Node a = nodes.get(row * side + col);
                    Node b = nodes.get(nb[0] * side + nb[1]);
                    for (Node[] pair : new Node[][] {{a, b}, {b, a}}) {
                        if (edges.size() == edgeCount) {
                            break outer;
                        }
                        double km = equirectangularKm(pair[0], pair[1]);
                        edges.add(new Edge(edges.size(), pair[0].id() + "-" + pair[1].id(), pair[0].id(),
                                pair[1].id(), km, "simulated", ""));
                    }
                }
            }
        }
        return RoadNetwork.of(nodes, edges);
    }

    /** Short-distance approximation (exact enough for a 440 m grid step, and not instrumented per edge). */
    private static double equirectangularKm(Node a, Node b) {
        double kmPerDegree = Math.toRadians(Geo.EARTH_RADIUS_KM);
        double dLat = (b.lat() - a.lat()) * kmPerDegree;
        double dLon = (b.lon() - a.lon()) * kmPerDegree * Math.cos(Math.toRadians((a.lat() + b.lat()) / 2));
        return Math.sqrt(dLat * dLat + dLon * dLon);
    }

    /** Settings. Not thread-safe. */
    public static final class Builder {
        private final int edgeCount;
        private long seed = 42;
        private LocalDateTime start = LocalDateTime.of(2025, 10, 30, 0, 0);
        private Duration interval = Duration.ofMinutes(5);
        private double noiseSigmaKmh = 2.0;

        private Builder(int edgeCount) {
            if (edgeCount < 1 || edgeCount > 1_000_000) {
                throw new IllegalArgumentException("edgeCount must be in [1, 1000000], got " + edgeCount);
            }
            this.edgeCount = edgeCount;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Timestamp of the first run (UTC). */
        public Builder start(LocalDateTime firstRun) {
            this.start = Objects.requireNonNull(firstRun, "start");
            return this;
        }

        /** Time between runs, in [1 s, 1 day]. */
        public Builder interval(Duration between) {
            Objects.requireNonNull(between, "interval");
            if (between.compareTo(Duration.ofSeconds(1)) < 0 || between.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("interval must be in [1 s, 1 day], got " + between);
            }
            this.interval = between;
            return this;
        }

        /** Standard deviation of the noise innovations, in [0, 20] km/h. */
        public Builder noiseSigmaKmh(double sigma) {
            if (!(sigma >= 0 && sigma <= 20)) {
                throw new IllegalArgumentException("noiseSigmaKmh must be in [0, 20], got " + sigma);
            }
            this.noiseSigmaKmh = sigma;
            return this;
        }

        public SimulatedSource build() {
            return new SimulatedSource(this);
        }
    }
}

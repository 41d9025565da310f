package dev.perfkit.traffic.features;

import dev.perfkit.traffic.geo.NeighbourSearch;
import dev.perfkit.traffic.model.Edge;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.RoadNetwork;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Neighbour statistics per row: see the catalogue in {@link FeatureEngineer}. */
final class SpatialFeatures {

    static final int COLUMNS = 7;

    private SpatialFeatures() {
    }

    static List<FeatureColumn> catalogue(FeatureConfig config) {
        String tolerance = " (observation closest in time within " + config.spatialToleranceSec() + " s)";
        return List.of(
                new FeatureColumn("nbr_count", "spatial", "neighbour edges observed" + tolerance, "edges"),
                new FeatureColumn("nbr_speed_mean", "spatial", "mean neighbour speed; NaN without neighbours", "km/h"),
                new FeatureColumn("nbr_speed_min", "spatial", "minimum neighbour speed; NaN without neighbours", "km/h"),
                new FeatureColumn("nbr_speed_max", "spatial", "maximum neighbour speed; NaN without neighbours", "km/h"),
                new FeatureColumn("nbr_speed_std", "spatial",
                        "sample standard deviation of neighbour speeds; NaN below 2 neighbours", "km/h"),
                new FeatureColumn("speed_diff_nbr", "spatial", "speed_kmh - nbr_speed_mean; NaN without neighbours",
                        "km/h"),
                new FeatureColumn("is_bottleneck", "spatial", "1 when speed_diff_nbr < "
                        + config.bottleneckThresholdKmh() + " km/h; NaN without neighbours", "0/1"));
    }

    /** Neighbour edge indexes per network edge, by graph adjacency or by midpoint radius. */
    static int[][] neighbours(RoadNetwork network, FeatureConfig config) {
        int edges = network.edgeCount();
        if (config.neighbourMode() == FeatureConfig.NeighbourMode.RADIUS) {
            double[] lats = new double[edges];
            double[] lons = new double[edges];
            for (int e = 0; e < edges; e++) {
                Edge edge = network.edge(e);
                Node a = network.node(edge.startNodeId());
                Node b = network.node(edge.endNodeId());
                lats[e] = (a.lat() + b.lat()) / 2;
                lons[e] = (a.lon() + b.lon()) / 2;
            }
            return NeighbourSearch.withinRadius(lats, lons, config.neighbourRadiusKm(), config.maxNeighbours());
        }
        Map<String, List<Integer>> edgesByNode = new HashMap<>();
        for (Edge edge : network.edges()) {
            edgesByNode.computeIfAbsent(edge.startNodeId(), k -> new ArrayList<>()).add(edge.index());
            edgesByNode.computeIfAbsent(edge.endNodeId(), k -> new ArrayList<>()).add(edge.index());
        }
        int[][] result = new int[edges][];
        for (Edge edge : network.edges()) {
            TreeSet<Integer> adjacent = new TreeSet<>(edgesByNode.get(edge.startNodeId()));
            adjacent.addAll(edgesByNode.get(edge.endNodeId()));
            adjacent.remove(edge.index());
            result[edge.index()] = adjacent.stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    /**
     * Walks each edge's rows in time order with one forward pointer per neighbour (the neighbour's latest observation
     * at or before the row), so finding the closest observation costs amortised O(1) instead of a binary search.
     */
    static void compute(int networkEdges, int[][] neighbours, EdgeGroups groups, FeatureConfig config,
                        double[][] out, int firstColumn) {
        double[] countCol = out[firstColumn];
        double[] meanCol = out[firstColumn + 1];
        double[] minCol = out[firstColumn + 2];
        double[] maxCol = out[firstColumn + 3];
        double[] stdCol = out[firstColumn + 4];
        double[] diffCol = out[firstColumn + 5];
        double[] bottleneckCol = out[firstColumn + 6];
        long tolerance = config.spatialToleranceSec();
        double threshold = config.bottleneckThresholdKmh();
        int maxDegree = 0;
        for (int[] list : neighbours) {
            maxDegree = Math.max(maxDegree, list.length);
        }
        double[] found = new double[maxDegree];
        int[] pointer = new int[maxDegree];
        int[] order = groups.order;
        int[] groupStart = groups.groupStart;
        long[] time = groups.timeAt;
        double[] speedAt = groups.speedAt;
        int edges = groupStart.length - 1;
        for (int e = 0; e < edges; e++) {
            int start = groupStart[e];
            int end = groupStart[e + 1];
            int[] nbs = e < networkEdges ? neighbours[e] : NONE;
            for (int j = 0; j < nbs.length; j++) {
                pointer[j] = groupStart[nbs[j]] - 1; // latest position with time <= t; none yet
            }
            for (int p = start; p < end; p++) {
                long t = time[p];
                int count = 0;
                for (int j = 0; j < nbs.length; j++) {
                    int nbStart = groupStart[nbs[j]];
                    int nbEnd = groupStart[nbs[j] + 1];
                    int q = pointer[j];
                    while (q + 1 < nbEnd && time[q + 1] <= t) {
                        q++;
                    }
                    pointer[j] = q;
                    int best = -1;
                    long bestGap = Long.MAX_VALUE;
                    if (q >= nbStart) {
                        best = q;
                        bestGap = t - time[q];
                    }
                    if (q + 1 < nbEnd && time[q + 1] - t < bestGap) { // ties go to the earlier observation
                        best = q + 1;
                        bestGap = time[q + 1] - t;
                    }
                    if (best >= 0 && bestGap <= tolerance && !Double.isNaN(speedAt[best])) {
                        found[count++] = speedAt[best];
                    }
                }
                int row = order[p];
                countCol[row] = count;
                if (count == 0) {
                    meanCol[row] = Double.NaN;
                    minCol[row] = Double.NaN;
                    maxCol[row] = Double.NaN;
                    stdCol[row] = Double.NaN;
                    diffCol[row] = Double.NaN;
                    bottleneckCol[row] = Double.NaN;
                    continue;
                }
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < count; i++) {
                    sum += found[i];
                    min = Math.min(min, found[i]);
                    max = Math.max(max, found[i]);
                }
                double mean = sum / count;
                double std = Double.NaN;
                if (count >= 2) {
                    double squares = 0;
                    for (int i = 0; i < count; i++) {
                        double d = found[i] - mean;
                        squares += d * d;
                    }
                    std = Math.sqrt(squares / (count - 1));
                }
                double diff = speedAt[p] - mean;
                meanCol[row] = mean;
                minCol[row] = min;
                maxCol[row] = max;
                stdCol[row] = std;
                diffCol[row] = diff;
                bottleneckCol[row] = Double.isNaN(diff) ? Double.NaN : (diff < threshold ? 1 : 0);
            }
        }
    }

    private static final int[] NONE = new int[0];
}

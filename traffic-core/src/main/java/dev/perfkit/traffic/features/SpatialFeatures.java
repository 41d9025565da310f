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
     * Writes the seven spatial columns ({@code out[0..6]}, catalogue order) for the rows at steps
     * {@code [from, to)} of the walk by time (see {@link EdgeGroups}), with one forward pointer per edge and neighbour:
     * the neighbour's latest observation at or before the row. Finding the closest observation costs amortised O(1)
     * instead of a binary search. Ranges are independent: each starts its pointers by binary search, so several may
     * run at once on different threads.
     *
     * <p>The closest observation of a neighbour depends only on the neighbour and the row's time, not on the row's
     * edge. When rows share their times (a collection run observes every edge at once), it is cheaper to take, at each
     * distinct time of the walk, a snapshot of every edge's closest speed, and let each row read its neighbours'
     * values from it: one pointer update per edge and time instead of one per row and neighbour. The range takes
     * whichever of the two costs fewer pointer updates; both give the same values.
     */
    static void compute(int networkEdges, int[][] neighbours, EdgeGroups groups, FeatureConfig config,
                        double[][] out, int from, int to) {
        if (from >= to) {
            return;
        }
        long tolerance = config.spatialToleranceSec();
        double threshold = config.bottleneckThresholdKmh();
        int[] groupStart = groups.groupStart;
        long[] time = groups.timeAt;
        double[] speedAt = groups.speedAt;
        int edges = groupStart.length - 1;
        // Neighbour lists flattened: the neighbours of edge e are slots nbrStart[e] .. nbrStart[e + 1]), each with the
        // neighbour's group [nbBegin, nbEnd) and its pointer.
        int[] nbrStart = new int[edges + 1];
        int maxDegree = 0;
        for (int e = 0; e < edges; e++) {
            int degree = e < networkEdges ? neighbours[e].length : 0;
            nbrStart[e + 1] = nbrStart[e] + degree;
            maxDegree = Math.max(maxDegree, degree);
        }
        int slots = nbrStart[edges];
        int[] nbBegin = new int[slots];
        int[] nbEnd = new int[slots];
        int[] pointer = new int[slots];
        long firstTime = time[groups.positionOf[groups.rowAt(from)]];
        for (int e = 0; e < edges; e++) {
            for (int j = nbrStart[e]; j < nbrStart[e + 1]; j++) {
                int nb = neighbours[e][j - nbrStart[e]];
                nbBegin[j] = groupStart[nb];
                nbEnd[j] = groupStart[nb + 1];
                // At or before the right place for every row of the range (all at or after firstTime).
                pointer[j] = lastBefore(time, nbBegin[j], nbEnd[j], firstTime);
            }
        }
        double[] found = new double[maxDegree];
        int[] edgeOf = groups.edgeOfRow;
        int[] positionOf = groups.positionOf;
        long distinctTimes = 0;
        long neighbourVisits = 0;
        long previousTime = 0;
        for (int k = from; k < to; k++) {
            int row = groups.rowAt(k);
            long t = time[positionOf[row]];
            if (k == from || t != previousTime) {
                distinctTimes++;
                previousTime = t;
            }
            int e = edgeOf[row];
            neighbourVisits += nbrStart[e + 1] - nbrStart[e];
        }
        int snapshotEdges = Math.min(networkEdges, edges);
        if (distinctTimes * snapshotEdges < neighbourVisits) {
            snapshots(groups, nbrStart, neighbours, snapshotEdges, tolerance, threshold, out, from, to, firstTime,
                    found);
            return;
        }
        for (int k = from; k < to; k++) {
            int row = groups.rowAt(k);
            int p = positionOf[row];
            int e = edgeOf[row];
            long t = time[p];
            int count = 0;
            double sum = 0;
            for (int j = nbrStart[e], last = nbrStart[e + 1]; j < last; j++) {
                int end = nbEnd[j];
                int q = pointer[j];
                while (q + 1 < end && time[q + 1] <= t) {
                    q++;
                }
                pointer[j] = q;
                int best = -1;
                long bestGap = Long.MAX_VALUE;
                if (q >= nbBegin[j]) {
                    best = q;
                    bestGap = t - time[q];
                }
                if (q + 1 < end && time[q + 1] - t < bestGap) { // ties go to the earlier observation
                    best = q + 1;
                    bestGap = time[q + 1] - t;
                }
                if (best >= 0 && bestGap <= tolerance) {
                    double v = speedAt[best];
                    if (!Double.isNaN(v)) {
                        found[count++] = v;
                        sum += v; // in neighbour order, as a separate loop over found would add them
                    }
                }
            }
            writeStats(out, row, found, count, sum, speedAt[p], threshold);
        }
    }

    /** {@link #compute} by snapshots of every edge's closest speed at each distinct time of the range. */
    private static void snapshots(EdgeGroups groups, int[] nbrStart, int[][] neighbours, int snapshotEdges,
                                  long tolerance, double threshold, double[][] out, int from, int to,
                                  long firstTime, double[] found) {
        int[] groupStart = groups.groupStart;
        long[] time = groups.timeAt;
        double[] speedAt = groups.speedAt;
        int[] edgeOf = groups.edgeOfRow;
        int[] positionOf = groups.positionOf;
        int[] pointer = new int[snapshotEdges];
        double[] closest = new double[snapshotEdges]; // NaN: no observation within the tolerance (or a NaN speed)
        for (int nb = 0; nb < snapshotEdges; nb++) {
            pointer[nb] = lastBefore(time, groupStart[nb], groupStart[nb + 1], firstTime);
        }
        long snapshotTime = 0;
        for (int k = from; k < to; k++) {
            int row = groups.rowAt(k);
            int p = positionOf[row];
            long t = time[p];
            if (k == from || t != snapshotTime) {
                snapshotTime = t;
                for (int nb = 0; nb < snapshotEdges; nb++) {
                    int begin = groupStart[nb];
                    int end = groupStart[nb + 1];
                    int q = pointer[nb];
                    while (q + 1 < end && time[q + 1] <= t) {
                        q++;
                    }
                    pointer[nb] = q;
                    int best = -1;
                    long bestGap = Long.MAX_VALUE;
                    if (q >= begin) {
                        best = q;
                        bestGap = t - time[q];
                    }
                    if (q + 1 < end && time[q + 1] - t < bestGap) { // ties go to the earlier observation
                        best = q + 1;
                        bestGap = time[q + 1] - t;
                    }
                    closest[nb] = best >= 0 && bestGap <= tolerance ? speedAt[best] : Double.NaN;
                }
            }
            int e = edgeOf[row];
            int count = 0;
            double sum = 0;
            int[] nbs = nbrStart[e + 1] > nbrStart[e] ? neighbours[e] : null;
            for (int j = 0, degree = nbrStart[e + 1] - nbrStart[e]; j < degree; j++) {
                double v = closest[nbs[j]];
                if (!Double.isNaN(v)) {
                    found[count++] = v;
                    sum += v;
                }
            }
            writeStats(out, row, found, count, sum, speedAt[p], threshold);
        }
    }

    /**
     * The seven columns of one row from its {@code count} neighbour speeds (never NaN), whose sum in neighbour order
     * is given. Minimum and maximum do not depend on the order of their operands; they are taken on the speeds'
     * {@linkplain LagFeatures#orderKey order keys}, whose long order is that of {@link Math#min} and {@link Math#max}
     * for every double but NaN (a conditional move per value where a double minimum is several instructions): the
     * same values.
     */
    private static void writeStats(double[][] out, int row, double[] found, int count, double sum, double speed,
                                   double threshold) {
        out[0][row] = count;
        if (count == 0) {
            for (int c = 1; c < COLUMNS; c++) {
                out[c][row] = Double.NaN;
            }
            return;
        }
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            long key = LagFeatures.orderKey(found[i]);
            low = Math.min(low, key);
            high = Math.max(high, key);
        }
        double min = LagFeatures.fromOrderKey(low);
        double max = LagFeatures.fromOrderKey(high);
        double mean = sum / count;
        double std = Double.NaN;
        if (count >= 2) {
            double squares = 0;
            for (int k = 0; k < count; k++) {
                double d = found[k] - mean;
                squares += d * d;
            }
            std = Math.sqrt(squares / (count - 1));
        }
        double diff = speed - mean;
        out[1][row] = mean;
        out[2][row] = min;
        out[3][row] = max;
        out[4][row] = std;
        out[5][row] = diff;
        out[6][row] = Double.isNaN(diff) ? Double.NaN : (diff < threshold ? 1 : 0);
    }

    /** The last position in {@code [begin, end)} whose time is below {@code t} (times ascending), or begin - 1. */
    static int lastBefore(long[] time, int begin, int end, long t) {
        int lo = begin;
        int hi = end; // the first position with time >= t is in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (time[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }
}

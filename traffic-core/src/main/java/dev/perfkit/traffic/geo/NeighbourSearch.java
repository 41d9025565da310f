package dev.perfkit.traffic.geo;

import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import java.util.Arrays;

/**
 * Nearest neighbours of points within a radius. Stateless and thread-safe.
 *
 * <p>Design note: a brute-force O(n^2) scan with the un-instrumented Haversine kernel and a per-point bounded
 * insertion list. For the networks of this module (tens to a few thousand points) that costs microseconds to a few
 * milliseconds and needs no spatial index; a cheap latitude pre-filter skips most far pairs.
 */
public final class NeighbourSearch {

    private NeighbourSearch() {
    }

    /**
     * For each point, the indexes of at most {@code maxNeighbours} other points within {@code radiusKm}, nearest
     * first (ties by lower index). A point is never its own neighbour.
     *
     * @param latsDeg       latitudes in degrees, one per point
     * @param lonsDeg       longitudes in degrees, same length
     * @param radiusKm      search radius in km, finite and > 0
     * @param maxNeighbours k, at least 1
     * @return one array per point (possibly empty), never null
     * @throws IllegalArgumentException for mismatched lengths, bad coordinates, a bad radius or k
     */
    @Timed(TrafficMetrics.GEO_NEIGHBOURS)
    public static int[][] withinRadius(double[] latsDeg, double[] lonsDeg, double radiusKm, int maxNeighbours) {
        if (latsDeg.length != lonsDeg.length) {
            throw new IllegalArgumentException("latsDeg and lonsDeg must have the same length, got "
                    + latsDeg.length + " and " + lonsDeg.length);
        }
        if (!(radiusKm > 0 && Double.isFinite(radiusKm))) {
            throw new IllegalArgumentException("radiusKm must be finite and > 0, got " + radiusKm);
        }
        if (maxNeighbours < 1) {
            throw new IllegalArgumentException("maxNeighbours must be >= 1, got " + maxNeighbours);
        }
        int n = latsDeg.length;
        for (int i = 0; i < n; i++) {
            Geo.requireLatitude("latsDeg[" + i + "]", latsDeg[i]);
            Geo.requireLongitude("lonsDeg[" + i + "]", lonsDeg[i]);
        }
        // One degree of latitude is about 111.19 km everywhere: a pair further apart in latitude is out of range.
        double maxDeltaLatDeg = Math.toDegrees(radiusKm / Geo.EARTH_RADIUS_KM);
        int[][] result = new int[n][];
        int[] bestIndex = new int[maxNeighbours];
        double[] bestKm = new double[maxNeighbours];
        for (int i = 0; i < n; i++) {
            int found = 0;
            for (int j = 0; j < n; j++) {
                if (j == i || Math.abs(latsDeg[j] - latsDeg[i]) > maxDeltaLatDeg) {
                    continue;
                }
                double km = Geo.haversineKernelKm(latsDeg[i], lonsDeg[i], latsDeg[j], lonsDeg[j]);
                if (km > radiusKm || (found == maxNeighbours && km >= bestKm[found - 1])) {
                    continue;
                }
                int slot = found < maxNeighbours ? found++ : found - 1;
                while (slot > 0 && bestKm[slot - 1] > km) {
                    bestKm[slot] = bestKm[slot - 1];
                    bestIndex[slot] = bestIndex[slot - 1];
                    slot--;
                }
                bestKm[slot] = km;
                bestIndex[slot] = j;
            }
            result[i] = Arrays.copyOf(bestIndex, found);
        }
        return result;
    }
}

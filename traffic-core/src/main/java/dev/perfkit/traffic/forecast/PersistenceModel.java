package dev.perfkit.traffic.forecast;

import java.util.Arrays;

/**
 * Persistence: the forecast is the last observed speed of the edge, whatever the horizon; {@value #NO_HISTORY_KMH}
 * km/h for an edge never observed. Not thread-safe.
 */
public final class PersistenceModel implements SpeedModel {

    /** The prediction for an edge without history, km/h. */
    public static final double NO_HISTORY_KMH = 40.0;

    private final double[] lastSpeedKmh;

    /** @param edgeCount number of edges, >= 0 */
    public PersistenceModel(int edgeCount) {
        if (edgeCount < 0) {
            throw new IllegalArgumentException("edgeCount must be >= 0, got " + edgeCount);
        }
        this.lastSpeedKmh = new double[edgeCount];
        Arrays.fill(lastSpeedKmh, Double.NaN);
    }

    @Override
    public String name() {
        return "persistence";
    }

    @Override
    public int edgeCount() {
        return lastSpeedKmh.length;
    }

    @Override
    public void observe(int edge, long epochSecond, double speedKmh) {
        if (!Double.isNaN(speedKmh)) {
            lastSpeedKmh[edge] = speedKmh;
        }
    }

    @Override
    public double predict(int edge, long targetEpochSecond) {
        double last = lastSpeedKmh[edge];
        return Double.isNaN(last) ? NO_HISTORY_KMH : last;
    }
}

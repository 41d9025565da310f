package dev.perfkit.traffic.forecast;

import java.util.Arrays;

/**
 * Simple exponential smoothing per edge: {@code level = alpha * speed + (1 - alpha) * level}, the first observation
 * setting the level. The forecast is the level for every horizon; {@value PersistenceModel#NO_HISTORY_KMH} km/h for
 * an edge never observed. {@code alpha = 1} is persistence. Not thread-safe.
 */
public final class SmoothingModel implements SpeedModel {

    private final double alpha;
    private final double[] levelKmh;
    /** What {@link #predict} returns per edge: the level, or {@value PersistenceModel#NO_HISTORY_KMH} without one. */
    private final double[] predictionKmh;

    /**
     * @param edgeCount number of edges, >= 0
     * @param alpha     weight of the newest observation, in (0, 1]
     */
    public SmoothingModel(int edgeCount, double alpha) {
        if (edgeCount < 0) {
            throw new IllegalArgumentException("edgeCount must be >= 0, got " + edgeCount);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
        this.alpha = alpha;
        this.levelKmh = new double[edgeCount];
        Arrays.fill(levelKmh, Double.NaN);
        this.predictionKmh = new double[edgeCount];
        Arrays.fill(predictionKmh, PersistenceModel.NO_HISTORY_KMH);
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public String name() {
        return "smoothing";
    }

    @Override
    public int edgeCount() {
        return levelKmh.length;
    }

    @Override
    public void observe(int edge, long epochSecond, double speedKmh) {
        if (Double.isNaN(speedKmh)) {
            return;
        }
        double level = levelKmh[edge];
        double next = Double.isNaN(level) ? speedKmh : alpha * speedKmh + (1 - alpha) * level;
        levelKmh[edge] = next;
        predictionKmh[edge] = Double.isNaN(next) ? PersistenceModel.NO_HISTORY_KMH : next; // NaN: infinite speeds
    }

    @Override
    public double predict(int edge, long targetEpochSecond) {
        return predictionKmh[edge];
    }

    /**
     * The live array of {@link #predict} per edge (the level, or {@value PersistenceModel#NO_HISTORY_KMH} for an edge
     * never observed), for the forecaster's loops, which read it without a check per edge. Callers must not write to
     * it.
     */
    double[] predictions() {
        return predictionKmh;
    }

    /** The live array of levels per edge, NaN for an edge never observed; for the forecaster's loops. Read only. */
    double[] levels() {
        return levelKmh;
    }

    /** Whether the edge has been observed. */
    public boolean hasHistory(int edge) {
        return !Double.isNaN(levelKmh[edge]);
    }
}

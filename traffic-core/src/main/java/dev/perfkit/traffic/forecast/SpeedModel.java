package dev.perfkit.traffic.forecast;

/**
 * A per-edge speed forecaster fed with observations in time order. Edges are indexes 0..{@link #edgeCount()}-1
 * (see {@link dev.perfkit.traffic.model.RoadNetwork}). Implementations keep their state in primitive arrays indexed
 * by edge, so {@link #predict} neither allocates nor boxes. Not thread-safe: confine an instance to one thread or
 * synchronise externally.
 */
public interface SpeedModel {

    /** Short name used in reports, e.g. {@code persistence}. */
    String name();

    int edgeCount();

    /**
     * Feeds one observation. NaN speeds are ignored.
     *
     * @throws IndexOutOfBoundsException for an edge outside 0..edgeCount()-1
     */
    void observe(int edge, long epochSecond, double speedKmh);

    /**
     * Predicted speed in km/h on {@code edge} at {@code targetEpochSecond}, or NaN when this model has nothing to say
     * (models with a documented fallback never return NaN).
     */
    double predict(int edge, long targetEpochSecond);
}

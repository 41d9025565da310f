package dev.perfkit.traffic.forecast;

import java.util.Arrays;
import java.util.Objects;

/**
 * Predicted speeds for every edge and horizon, from one call of {@link TrafficForecaster#predictAll(int...)}.
 * Immutable and thread-safe.
 */
public final class Forecast {

    private final int edgeCount;
    private final int[] horizonsMinutes;
    private final long issuedAtEpochSecond;
    private final double[] speedKmh;

    Forecast(int edgeCount, int[] horizonsMinutes, long issuedAtEpochSecond, double[] speedKmh) {
        this.edgeCount = edgeCount;
        this.horizonsMinutes = horizonsMinutes.clone();
        this.issuedAtEpochSecond = issuedAtEpochSecond;
        this.speedKmh = speedKmh;
    }

    public int edgeCount() {
        return edgeCount;
    }

    public int[] horizonsMinutes() {
        return horizonsMinutes.clone();
    }

    /** Time of the latest observation the forecast is based on (seconds since the epoch, UTC); 0 without any. */
    public long issuedAtEpochSecond() {
        return issuedAtEpochSecond;
    }

    /** Number of predictions: edges x horizons. */
    public int size() {
        return speedKmh.length;
    }

    /** The prediction for an edge and the horizon at {@code horizonIndex} of {@link #horizonsMinutes()}, km/h. */
    public double speedKmh(int edge, int horizonIndex) {
        Objects.checkIndex(edge, edgeCount);
        Objects.checkIndex(horizonIndex, horizonsMinutes.length);
        return speedKmh[edge * horizonsMinutes.length + horizonIndex];
    }

    /** Mean of all predictions, km/h (NaN when empty). */
    public double meanSpeedKmh() {
        return speedKmh.length == 0 ? Double.NaN : Arrays.stream(speedKmh).average().orElse(Double.NaN);
    }

    @Override
    public String toString() {
        return "Forecast[edges=" + edgeCount + ", horizonsMinutes=" + Arrays.toString(horizonsMinutes) + "]";
    }
}

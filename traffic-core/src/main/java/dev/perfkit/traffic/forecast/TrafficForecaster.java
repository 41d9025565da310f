package dev.perfkit.traffic.forecast;

import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.TrafficColumns;

/**
 * The forecaster the pipeline uses: per-edge exponential smoothing, blended with a per-edge time-of-day profile once
 * the history spans several days, and {@value PersistenceModel#NO_HISTORY_KMH} km/h for an edge never observed.
 *
 * <p>Horizons are minutes after the latest observation fed in. The smoothing forecast is flat (the same for every
 * horizon); the profile part looks up the time-of-day bin of the target time.
 *
 * <p>Hot path: state lives in primitive arrays indexed by edge; {@link #predictInto(int[], double[])} neither
 * allocates nor boxes, so all 144 edges x 4 horizons take well under a microsecond. {@link #predict(int, int)} is the
 * instrumented single prediction; the bulk methods use the same un-instrumented kernel so a bulk call records one
 * timer call, not one per edge.
 *
 * <p>Not thread-safe: feed and query it from one thread (the pipeline does) or synchronise externally.
 */
public final class TrafficForecaster {

    /** Horizons of a pipeline cycle: 5, 15, 30 and 60 minutes. */
    public static final int[] DEFAULT_HORIZONS_MINUTES = {5, 15, 30, 60};

    private final SmoothingModel smoothing;
    private final TimeOfDayProfile profile;
    private final double profileWeight;
    private final double levelWeight;
    private long latestEpochSecond = Long.MIN_VALUE;

    private TrafficForecaster(Builder b) {
        this.smoothing = new SmoothingModel(b.edgeCount, b.alpha);
        this.profile = new TimeOfDayProfile(b.edgeCount, b.profileBinMinutes, b.minProfileDays);
        this.profileWeight = b.profileWeight;
        this.levelWeight = 1 - b.profileWeight;
    }

    /** A builder for {@code edgeCount} edges (>= 0), with alpha 0.7, profile weight 0.5, 60-minute bins, 3 days. */
    public static Builder builder(int edgeCount) {
        return new Builder(edgeCount);
    }

    public int edgeCount() {
        return smoothing.edgeCount();
    }

    /** Whether the time-of-day profile currently takes part. */
    public boolean profileActive() {
        return profile.isActive();
    }

    /** Distinct days of history seen. */
    public int historyDays() {
        return profile.distinctDays();
    }

    /** Feeds one observation (NaN speeds are ignored). */
    public void observe(int edge, long epochSecond, double speedKmh) {
        smoothing.observe(edge, epochSecond, speedKmh);
        profile.observe(edge, epochSecond, speedKmh);
        if (!Double.isNaN(speedKmh) && epochSecond > latestEpochSecond) {
            latestEpochSecond = epochSecond;
        }
    }

    /** Feeds every row of the columns whose edge is below {@link #edgeCount()}, in row order. */
    public void observe(TrafficColumns columns) {
        int edges = edgeCount();
        for (int row = 0; row < columns.size(); row++) {
            int edge = columns.edgeIndex(row);
            if (edge < edges) {
                observe(edge, columns.epochSecond(row), columns.speedKmh(row));
            }
        }
    }

    /**
     * Predicted speed on one edge {@code horizonMinutes} after the latest observation, in km/h.
     *
     * @throws IndexOutOfBoundsException for an edge outside 0..edgeCount()-1
     * @throws IllegalArgumentException  for a negative horizon
     */
    // @Timed, not @Profiled: a prediction takes nanoseconds, its CPU time is its wall time, and reading the thread's
    // CPU clock (a system call, about 0.5 us here) would cost a hundred times the prediction itself. Sampled: two
    // clock reads per call would still cost several times the prediction; the call count stays exact.
    @Timed(value = TrafficMetrics.FORECAST_PREDICT, target = "10ms", sampleOneIn = 64)
    public double predict(int edge, int horizonMinutes) {
        if (horizonMinutes < 0) {
            throw new IllegalArgumentException("horizonMinutes must be >= 0, got " + horizonMinutes);
        }
        if (edge < 0 || edge >= edgeCount()) {
            throw new IndexOutOfBoundsException("edge " + edge + " outside [0, " + edgeCount() + ")");
        }
        return predictKernel(edge, targetEpochSecond(horizonMinutes));
    }

    /** All edges for the given horizons (defaults to {@link #DEFAULT_HORIZONS_MINUTES} when none are given). */
    public Forecast predictAll(int... horizonsMinutes) {
        int[] horizons = horizonsMinutes.length == 0 ? DEFAULT_HORIZONS_MINUTES : horizonsMinutes;
        double[] out = new double[edgeCount() * horizons.length];
        predictInto(horizons, out);
        return new Forecast(edgeCount(), horizons, Math.max(0, latestEpochSecond), out);
    }

    /**
     * All edges for the given horizons into {@code out} at {@code edge * horizons.length + h}, without allocating.
     *
     * @throws IllegalArgumentException when {@code out} is shorter than edgeCount() x horizons.length or a horizon
     *                                  is negative
     */
    // @Timed, not @Profiled: the whole call takes well under a microsecond, less than the four thread CPU-time and
    // allocation reads of @Profiled.
    @Timed(TrafficMetrics.FORECAST_PREDICT_ALL)
    public void predictInto(int[] horizonsMinutes, double[] out) {
        int h = horizonsMinutes.length;
        if (out.length < edgeCount() * h) {
            throw new IllegalArgumentException("out must hold " + edgeCount() * h + " values, has " + out.length);
        }
        for (int i = 0; i < h; i++) {
            if (horizonsMinutes[i] < 0) {
                throw new IllegalArgumentException("horizonsMinutes[" + i + "] must be >= 0, got " + horizonsMinutes[i]);
            }
        }
        // predictKernel on the models' arrays. The smoothing forecast does not depend on the target time: without
        // the profile, each edge's value is written h times. With it, the bin of the target time is the same for
        // every edge (one zone lookup per horizon), and the profile keeps its means per slot (no division here).
        // Four horizons (the pipeline's) have their own loops: one iteration per edge writing its four values, where
        // an inner loop over a horizon count the compiler does not know costs more than its four stores.
        double[] predictions = smoothing.predictions();
        int edges = predictions.length;
        if (profileWeight == 0 || !profile.isActive()) {
            if (h == 4) {
                for (int edge = 0, o = 0; edge < edges; edge++, o += 4) {
                    double prediction = predictions[edge];
                    out[o] = prediction;
                    out[o + 1] = prediction;
                    out[o + 2] = prediction;
                    out[o + 3] = prediction;
                }
                return;
            }
            for (int o = 0, edge = 0, i = 0, total = edges * h; o < total; o++) {
                out[o] = predictions[edge];
                if (++i == h) {
                    i = 0;
                    edge++;
                }
            }
            return;
        }
        double[] levels = smoothing.levels();
        double[] means = profile.means();
        int bins = profile.bins();
        if (h == 4) {
            int bin0 = profile.binOf(targetEpochSecond(horizonsMinutes[0]));
            int bin1 = profile.binOf(targetEpochSecond(horizonsMinutes[1]));
            int bin2 = profile.binOf(targetEpochSecond(horizonsMinutes[2]));
            int bin3 = profile.binOf(targetEpochSecond(horizonsMinutes[3]));
            for (int edge = 0, o = 0, slot = 0; edge < edges; edge++, o += 4, slot += bins) {
                double level = levels[edge];
                out[o] = blend(level, means[slot + bin0]);
                out[o + 1] = blend(level, means[slot + bin1]);
                out[o + 2] = blend(level, means[slot + bin2]);
                out[o + 3] = blend(level, means[slot + bin3]);
            }
            return;
        }
        for (int i = 0; i < h; i++) {
            int bin = profile.binOf(targetEpochSecond(horizonsMinutes[i]));
            for (int edge = 0, o = i, slot = bin; edge < edges; edge++, o += h, slot += bins) {
                out[o] = blend(levels[edge], means[slot]);
            }
        }
    }

    private long targetEpochSecond(int horizonMinutes) {
        return Math.max(0, latestEpochSecond) + horizonMinutes * 60L;
    }

    /**
     * One edge's prediction. The bin of a target time is remembered between calls ({@link
     * TimeOfDayProfile#binOfRepeated}): single predictions for one horizon, between two observations, look the zone up
     * once.
     */
    private double predictKernel(int edge, long targetEpochSecond) {
        if (profileWeight == 0 || !profile.isActive()) {
            return smoothing.predictions()[edge];
        }
        int slot = edge * profile.bins() + profile.binOfRepeated(targetEpochSecond);
        return blend(smoothing.levels()[edge], profile.means()[slot]);
    }

    /**
     * The smoothing level blended with the profile's mean; {@value PersistenceModel#NO_HISTORY_KMH} km/h without
     * history (a NaN level), the level alone where the profile has no value (a NaN mean).
     */
    private double blend(double level, double typical) {
        if (Double.isNaN(level)) {
            return PersistenceModel.NO_HISTORY_KMH;
        }
        return Double.isNaN(typical) ? level : levelWeight * level + profileWeight * typical;
    }

    @Override
    public String toString() {
        return "TrafficForecaster[edges=" + edgeCount() + ", alpha=" + smoothing.alpha() + ", profileWeight="
                + profileWeight + ", profileActive=" + profile.isActive() + ", historyDays=" + profile.distinctDays()
                + "]";
    }

    /** Settings; validated on {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final int edgeCount;
        private double alpha = 0.7;
        private double profileWeight = 0.5;
        private int profileBinMinutes = 60;
        private int minProfileDays = 3;

        private Builder(int edgeCount) {
            if (edgeCount < 0) {
                throw new IllegalArgumentException("edgeCount must be >= 0, got " + edgeCount);
            }
            this.edgeCount = edgeCount;
        }

        /** Smoothing weight of the newest observation, in (0, 1]. */
        public Builder alpha(double weight) {
            this.alpha = weight;
            return this;
        }

        /** Weight of the time-of-day profile once it takes part, in [0, 1]; 0 disables it. */
        public Builder profileWeight(double weight) {
            if (!(weight >= 0 && weight <= 1)) {
                throw new IllegalArgumentException("profileWeight must be in [0, 1], got " + weight);
            }
            this.profileWeight = weight;
            return this;
        }

        /** Width of the profile's time-of-day bins, a divisor of 1440 in [5, 240] minutes. */
        public Builder profileBinMinutes(int minutes) {
            this.profileBinMinutes = minutes;
            return this;
        }

        /** Distinct days of history before the profile takes part, >= 1. */
        public Builder minProfileDays(int days) {
            this.minProfileDays = days;
            return this;
        }

        public TrafficForecaster build() {
            return new TrafficForecaster(this);
        }
    }
}

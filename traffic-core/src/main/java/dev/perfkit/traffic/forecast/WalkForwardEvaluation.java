package dev.perfkit.traffic.forecast;

import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.CityTime;
import java.time.zone.ZoneRules;
import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Walk-forward evaluation of the forecast models over a sequence of runs: every run after the first is predicted from
 * the runs before it only, then fed to the model. The first part of the runs (the calibration part) chooses the
 * parameters (smoothing weight, profile weight); the later part (the evaluation part) scores them. Every model's MAE
 * is reported on both parts, including where a more elaborate model loses. Thread-safe (no state between calls).
 *
 * <p>Models: {@code persistence}; {@code smoothing} with the weight from {@link Builder#alphaGrid} that scores best on
 * calibration; {@code time_of_day_profile} alone (scored only where it takes part, i.e. once the history spans
 * {@link Builder#minProfileDays} days and the target's time-of-day bin has data); {@code smoothing+profile}, the
 * blend used by {@link TrafficForecaster}.
 */
public final class WalkForwardEvaluation {

    private final double calibrationFraction;
    private final double[] alphaGrid;
    private final double[] profileWeightGrid;
    private final int profileBinMinutes;
    private final int minProfileDays;

    private WalkForwardEvaluation(Builder b) {
        this.calibrationFraction = b.calibrationFraction;
        this.alphaGrid = b.alphaGrid.clone();
        this.profileWeightGrid = b.profileWeightGrid.clone();
        this.profileBinMinutes = b.profileBinMinutes;
        this.minProfileDays = b.minProfileDays;
    }

    /** Calibration on the first half of the runs, alpha 0.1..0.9, profile weights 0.25..1, 60-min bins, 3 days. */
    public static WalkForwardEvaluation defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Evaluates the models on the runs (sorted by run timestamp first). Records on edges outside the network or
     * without a speed are skipped.
     *
     * @throws IllegalArgumentException with fewer than 3 runs
     */
    @Timed(TrafficMetrics.FORECAST_EVALUATE)
    public WalkForwardReport evaluate(List<TrafficRun> runs, RoadNetwork network) {
        if (runs.size() < 3) {
            throw new IllegalArgumentException("walk-forward needs at least 3 runs, got " + runs.size());
        }
        List<RunArrays> data = toArrays(runs, network);
        int n = data.size();
        int firstEvaluation = Math.min(n - 1, Math.max(2, (int) Math.round(n * calibrationFraction)));
        int edges = network.edgeCount();

        List<WalkForwardReport.GridPoint> grid = new ArrayList<>();
        double bestAlpha = alphaGrid[0];
        double bestCalibration = Double.POSITIVE_INFINITY;
        for (double alpha : alphaGrid) {
            Score score = run(data, firstEvaluation, () -> new SmoothingModel(edges, alpha));
            grid.add(new WalkForwardReport.GridPoint(alpha, score.calibrationMae(), score.evaluationMae()));
            if (score.calibrationMae() < bestCalibration) {
                bestCalibration = score.calibrationMae();
                bestAlpha = alpha;
            }
        }
        double alpha = bestAlpha;
        List<WalkForwardReport.ModelScore> scores = new ArrayList<>();
        Score persistence = run(data, firstEvaluation, () -> new PersistenceModel(edges));
        scores.add(persistence.toModelScore("persistence", "last value, 40 km/h without history", ""));
        Score smoothing = run(data, firstEvaluation, () -> new SmoothingModel(edges, alpha));
        scores.add(smoothing.toModelScore("smoothing", String.format(Locale.ROOT,
                "alpha=%.2f (chosen on calibration)", alpha), ""));

        Score profile = run(data, firstEvaluation, () -> new TimeOfDayProfile(edges, profileBinMinutes, minProfileDays));
        int days = distinctDays(data);
        String profileNote = profile.evaluationCount == 0
                ? "did not take part: history spans " + days + " distinct day(s), needs " + minProfileDays
                : "scored only where it takes part";
        scores.add(profile.toModelScore("time_of_day_profile", String.format(Locale.ROOT, "%d-min bins, >= %d days",
                profileBinMinutes, minProfileDays), profileNote));

        double bestWeight = profileWeightGrid[0];
        double bestWeightMae = Double.POSITIVE_INFINITY;
        boolean tuned = profile.calibrationCount > 0;
        if (tuned) {
            for (double weight : profileWeightGrid) {
                Score s = run(data, firstEvaluation, () -> new ProfileBlend(new SmoothingModel(edges, alpha),
                        new TimeOfDayProfile(edges, profileBinMinutes, minProfileDays), weight));
                if (s.calibrationMae() < bestWeightMae) {
                    bestWeightMae = s.calibrationMae();
                    bestWeight = weight;
                }
            }
        } else {
            bestWeight = 0.5;
        }
        double weight = bestWeight;
        Score blend = run(data, firstEvaluation, () -> new ProfileBlend(new SmoothingModel(edges, alpha),
                new TimeOfDayProfile(edges, profileBinMinutes, minProfileDays), weight));
        scores.add(blend.toModelScore("smoothing+profile", String.format(Locale.ROOT, "alpha=%.2f, weight=%.2f%s",
                alpha, weight, tuned ? " (chosen on calibration)" : " (default)"),
                profile.evaluationCount == 0 ? "equals smoothing: the profile did not take part" : ""));
        return new WalkForwardReport(n, firstEvaluation - 1, n - firstEvaluation, scores, grid);
    }

    private record RunArrays(long runEpochSecond, int[] edge, long[] epochSecond, double[] speedKmh) {
    }

    private static List<RunArrays> toArrays(List<TrafficRun> runs, RoadNetwork network) {
        List<TrafficRun> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparing(TrafficRun::runTimestamp));
        List<RunArrays> result = new ArrayList<>(sorted.size());
        for (TrafficRun run : sorted) {
            int[] edge = new int[run.records().size()];
            long[] time = new long[edge.length];
            double[] speed = new double[edge.length];
            int k = 0;
            for (TrafficRecord r : run.records()) {
                int e = network.edgeIndex(r.nodeAId(), r.nodeBId());
                if (e < 0 || r.timestamp() == null || Double.isNaN(r.speedKmh())) {
                    continue;
                }
                edge[k] = e;
                time[k] = r.epochSecond();
                speed[k] = r.speedKmh();
                k++;
            }
            result.add(new RunArrays(run.runTimestamp().toEpochSecond(ZoneOffset.UTC),
                    Arrays.copyOf(edge, k), Arrays.copyOf(time, k), Arrays.copyOf(speed, k)));
        }
        return result;
    }

    private static int distinctDays(List<RunArrays> data) {
        ZoneRules city = CityTime.DEFAULT_ZONE.getRules(); // days of the city's calendar
        return (int) data.stream().mapToLong(r -> Math.floorDiv(CityTime.localEpochSecond(r.runEpochSecond(), city),
                86_400L)).distinct().count();
    }

    /** Feeds run 0, then for each later run: predict every row, score, feed. NaN predictions are not scored. */
    private static Score run(List<RunArrays> data, int firstEvaluation, Supplier<SpeedModel> factory) {
        SpeedModel model = factory.get();
        Score score = new Score();
        for (int i = 0; i < data.size(); i++) {
            RunArrays run = data.get(i);
            if (i > 0) {
                for (int k = 0; k < run.edge().length; k++) {
                    double predicted = model.predict(run.edge()[k], run.epochSecond()[k]);
                    if (!Double.isNaN(predicted)) {
                        score.add(i >= firstEvaluation, Math.abs(predicted - run.speedKmh()[k]));
                    }
                }
            }
            for (int k = 0; k < run.edge().length; k++) {
                model.observe(run.edge()[k], run.epochSecond()[k], run.speedKmh()[k]);
            }
        }
        return score;
    }

    private static final class Score {
        double calibrationSum;
        int calibrationCount;
        double evaluationSum;
        int evaluationCount;

        void add(boolean evaluation, double absoluteError) {
            if (evaluation) {
                evaluationSum += absoluteError;
                evaluationCount++;
            } else {
                calibrationSum += absoluteError;
                calibrationCount++;
            }
        }

        double calibrationMae() {
            return calibrationCount == 0 ? Double.NaN : calibrationSum / calibrationCount;
        }

        double evaluationMae() {
            return evaluationCount == 0 ? Double.NaN : evaluationSum / evaluationCount;
        }

        WalkForwardReport.ModelScore toModelScore(String model, String parameters, String note) {
            return new WalkForwardReport.ModelScore(model, parameters, calibrationMae(), evaluationMae(),
                    evaluationCount, note);
        }
    }

    /** Settings. Not thread-safe. */
    public static final class Builder {
        private double calibrationFraction = 0.5;
        private double[] alphaGrid = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
        private double[] profileWeightGrid = {0.25, 0.5, 0.75, 1.0};
        private int profileBinMinutes = 60;
        private int minProfileDays = 3;

        private Builder() {
        }

        /** Share of the runs used for calibration, in (0, 1); at least 2 and at most n - 1 runs. */
        public Builder calibrationFraction(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("calibrationFraction must be in (0, 1), got " + fraction);
            }
            this.calibrationFraction = fraction;
            return this;
        }

        /** Smoothing weights to try, each in (0, 1]. */
        public Builder alphaGrid(double... alphas) {
            if (alphas.length == 0) {
                throw new IllegalArgumentException("alphaGrid must not be empty");
            }
            for (double a : alphas) {
                if (!(a > 0 && a <= 1)) {
                    throw new IllegalArgumentException("alphaGrid values must be in (0, 1], got " + a);
                }
            }
            this.alphaGrid = alphas.clone();
            return this;
        }

        /** Profile weights to try, each in [0, 1]. */
        public Builder profileWeightGrid(double... weights) {
            if (weights.length == 0) {
                throw new IllegalArgumentException("profileWeightGrid must not be empty");
            }
            for (double w : weights) {
                if (!(w >= 0 && w <= 1)) {
                    throw new IllegalArgumentException("profileWeightGrid values must be in [0, 1], got " + w);
                }
            }
            this.profileWeightGrid = weights.clone();
            return this;
        }

        /** Profile bin width in minutes (a divisor of 1440 in [5, 240]). */
        public Builder profileBinMinutes(int minutes) {
            new TimeOfDayProfile(0, minutes, 1); // validates
            this.profileBinMinutes = minutes;
            return this;
        }

        /** Distinct days of history before the profile takes part, >= 1. */
        public Builder minProfileDays(int days) {
            if (days < 1) {
                throw new IllegalArgumentException("minProfileDays must be >= 1, got " + days);
            }
            this.minProfileDays = days;
            return this;
        }

        public WalkForwardEvaluation build() {
            return new WalkForwardEvaluation(this);
        }
    }
}

package dev.perfkit.traffic.forecast;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of a {@link WalkForwardEvaluation}: the MAE of every model on the calibration runs (where parameters
 * were chosen) and on the evaluation runs (the honest score), plus the whole smoothing-weight grid. Immutable.
 *
 * @param runs               runs used
 * @param calibrationTargets runs predicted during calibration (each from the runs before it)
 * @param evaluationTargets  runs predicted during evaluation
 * @param scores             one line per model, in report order
 * @param alphaGrid          the smoothing weights tried, with their MAE on both parts
 */
public record WalkForwardReport(int runs, int calibrationTargets, int evaluationTargets, List<ModelScore> scores,
                                List<GridPoint> alphaGrid) {

    /**
     * One model's score.
     *
     * @param model                 model name
     * @param parameters            parameters used, e.g. {@code alpha=0.9 (chosen on calibration)}
     * @param calibrationMaeKmh     mean absolute error on the calibration targets, km/h (NaN when it made none)
     * @param evaluationMaeKmh      mean absolute error on the evaluation targets, km/h (NaN when it made none)
     * @param evaluationPredictions predictions scored on the evaluation targets
     * @param note                  why a model did not take part, or other caveats (empty when none)
     */
    public record ModelScore(String model, String parameters, double calibrationMaeKmh, double evaluationMaeKmh,
                             int evaluationPredictions, String note) {
    }

    /**
     * MAE of smoothing with one weight.
     *
     * @param alpha             weight of the newest observation
     * @param calibrationMaeKmh MAE on the calibration targets, km/h
     * @param evaluationMaeKmh  MAE on the evaluation targets, km/h (hindsight: not used to choose)
     */
    public record GridPoint(double alpha, double calibrationMaeKmh, double evaluationMaeKmh) {
    }

    public WalkForwardReport {
        scores = List.copyOf(scores);
        alphaGrid = List.copyOf(alphaGrid);
    }

    /** The score of a model by name. */
    public Optional<ModelScore> score(String model) {
        return scores.stream().filter(s -> s.model().equals(model)).findFirst();
    }

    /** A plain-text table of the scores and the grid. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "walk-forward over %d runs: %d calibration targets, %d evaluation "
                + "targets%n", runs, calibrationTargets, evaluationTargets));
        sb.append(String.format(Locale.ROOT, "%-22s %-48s %13s %13s %8s  %s%n", "model", "parameters",
                "cal MAE km/h", "eval MAE km/h", "n eval", "note"));
        for (ModelScore s : scores) {
            sb.append(String.format(Locale.ROOT, "%-22s %-48s %13.4f %13.4f %8d  %s%n", s.model(), s.parameters(),
                    s.calibrationMaeKmh(), s.evaluationMaeKmh(), s.evaluationPredictions(), s.note()));
        }
        sb.append("smoothing weight grid (alpha: cal MAE / eval MAE, km/h):");
        for (GridPoint p : alphaGrid) {
            sb.append(String.format(Locale.ROOT, " %.2f: %.4f / %.4f;", p.alpha(), p.calibrationMaeKmh(),
                    p.evaluationMaeKmh()));
        }
        return sb.append(System.lineSeparator()).toString();
    }

    @Override
    public String toString() {
        return toTable();
    }
}

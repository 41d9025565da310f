package dev.perfkit.traffic.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.collect.SimulatedSource;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WalkForwardEvaluationTest {

    @Test
    void evaluate_bundledRuns_smoothingNotWorseThanPersistenceOnLaterRuns() {
        WalkForwardReport report = WalkForwardEvaluation.defaults()
                .evaluate(ReplaySource.bundledRuns(), RoadNetwork.hcmc());
        System.out.println(report.toTable());

        WalkForwardReport.ModelScore persistence = report.score("persistence").orElseThrow();
        WalkForwardReport.ModelScore smoothing = report.score("smoothing").orElseThrow();
        System.out.printf("persistence MAE %.4f km/h, smoothing MAE %.4f km/h (%s)%n",
                persistence.evaluationMaeKmh(), smoothing.evaluationMaeKmh(), smoothing.parameters());
        assertThat(report.runs()).isEqualTo(12);
        assertThat(report.calibrationTargets()).isEqualTo(5);
        assertThat(report.evaluationTargets()).isEqualTo(6);
        assertThat(persistence.evaluationPredictions()).isEqualTo(6 * 144);
        assertThat(persistence.evaluationMaeKmh()).isBetween(0.5, 5.0);
        assertThat(smoothing.evaluationMaeKmh()).isLessThanOrEqualTo(persistence.evaluationMaeKmh());
        assertThat(report.alphaGrid()).hasSize(9);
    }

    @Test
    void evaluate_bundledRuns_profileDoesNotTakePartOnOneDayAndSaysSo() {
        WalkForwardReport report = WalkForwardEvaluation.defaults()
                .evaluate(ReplaySource.bundledRuns(), RoadNetwork.hcmc());

        WalkForwardReport.ModelScore profile = report.score("time_of_day_profile").orElseThrow();
        assertThat(profile.evaluationPredictions()).isZero();
        assertThat(profile.evaluationMaeKmh()).isNaN();
        assertThat(profile.note()).contains("1 distinct day").contains("needs 3");
        assertThat(report.score("smoothing+profile").orElseThrow().evaluationMaeKmh())
                .isEqualTo(report.score("smoothing").orElseThrow().evaluationMaeKmh());
    }

    @Test
    void evaluate_simulatedWeek_profileTakesPartAndEveryModelIsScored() {
        SimulatedSource source = SimulatedSource.builder(40).seed(3).interval(Duration.ofMinutes(30))
                .noiseSigmaKmh(3).build();
        List<TrafficRun> runs = new ArrayList<>();
        for (int i = 0; i < 7 * 48; i++) {
            runs.add(source.collect());
        }

        WalkForwardReport report = WalkForwardEvaluation.defaults().evaluate(runs, source.network());
        System.out.println(report.toTable());

        assertThat(report.scores()).extracting(WalkForwardReport.ModelScore::model)
                .containsExactly("persistence", "smoothing", "time_of_day_profile", "smoothing+profile");
        WalkForwardReport.ModelScore profile = report.score("time_of_day_profile").orElseThrow();
        assertThat(profile.evaluationPredictions()).isPositive();
        assertThat(profile.evaluationMaeKmh()).isFinite();
        assertThat(report.score("smoothing+profile").orElseThrow().parameters()).contains("chosen on calibration");
    }

    @Test
    void evaluate_tooFewRuns_rejected() {
        assertThatThrownBy(() -> WalkForwardEvaluation.defaults()
                .evaluate(ReplaySource.bundledRuns().subList(0, 2), RoadNetwork.hcmc()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3 runs");
    }
}

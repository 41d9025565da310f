package dev.perfkit.traffic.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The forecaster's single and bulk predictions against the blend computed here from the observations: smoothing
 * level, hourly mean in the city's local time (UTC+7), 40 km/h for an edge never observed.
 */
class TrafficForecasterTest {

    private static final double ALPHA = 0.7;
    private static final double WEIGHT = 0.5;
    private static final long START = 1_761_782_400L; // 2025-10-30T00:00Z
    private static final int EDGES = 3;

    private record Observation(int edge, long epochSecond, double speedKmh) {
    }

    /** Edge 0 hourly for three days, edge 1 at a few hours only (and one NaN speed), edge 2 never. */
    private static List<Observation> history() {
        List<Observation> observations = new ArrayList<>();
        for (int k = 0; k < 72; k++) {
            long t = START + k * 3600L;
            observations.add(new Observation(0, t, 20 + (k % 7) * 1.3));
            if (k % 5 == 0) {
                observations.add(new Observation(1, t, k == 35 ? Double.NaN : 31 + (k % 3) * 0.7));
            }
        }
        return observations;
    }

    private static double expected(List<Observation> observations, int edge, long target) {
        double level = Double.NaN;
        double sum = 0;
        int count = 0;
        long targetHour = Math.floorMod(target + 7 * 3600, 86_400L) / 3600;
        for (Observation o : observations) {
            if (o.edge() != edge || Double.isNaN(o.speedKmh())) {
                continue;
            }
            level = Double.isNaN(level) ? o.speedKmh() : ALPHA * o.speedKmh() + (1 - ALPHA) * level;
            if (Math.floorMod(o.epochSecond() + 7 * 3600, 86_400L) / 3600 == targetHour) {
                sum += o.speedKmh();
                count++;
            }
        }
        if (Double.isNaN(level)) {
            return 40.0;
        }
        return count == 0 ? level : (1 - WEIGHT) * level + WEIGHT * (sum / count);
    }

    @Test
    void predictionsWithTheProfileActive_blendLevelAndHourlyMean() {
        List<Observation> history = history();
        TrafficForecaster forecaster = TrafficForecaster.builder(EDGES).build();
        history.forEach(o -> forecaster.observe(o.edge(), o.epochSecond(), o.speedKmh()));
        assertThat(forecaster.profileActive()).isTrue();
        long latest = START + 71 * 3600L;
        int[] horizons = {5, 15, 30, 60, 120, 0};

        Forecast all = forecaster.predictAll(horizons);
        for (int edge = 0; edge < EDGES; edge++) {
            for (int h = 0; h < horizons.length; h++) {
                double want = expected(history, edge, latest + horizons[h] * 60L);
                assertThat(all.speedKmh(edge, h)).as("edge %d, horizon %d", edge, horizons[h]).isEqualTo(want);
                assertThat(forecaster.predict(edge, horizons[h])).isEqualTo(want);
                assertThat(forecaster.predict(edge, horizons[h])).isEqualTo(want); // again: the remembered bin
            }
        }
        // Edge 1 has no observation in the bin of horizon 0 (23:00 UTC), one in that of 60 minutes: both branches.
        assertThat(forecaster.predict(1, 0)).isNotEqualTo(forecaster.predict(1, 60));
        assertThat(forecaster.predict(2, 60)).isEqualTo(40.0);
    }

    @Test
    void bulkPredictions_forEveryHorizonCount_equalTheSingleOnes() {
        TrafficForecaster active = TrafficForecaster.builder(EDGES).build();
        history().forEach(o -> active.observe(o.edge(), o.epochSecond(), o.speedKmh()));
        TrafficForecaster inactive = TrafficForecaster.builder(EDGES).build();
        inactive.observe(0, START, 30.0);
        for (TrafficForecaster forecaster : List.of(active, inactive)) {
            for (int[] horizons : new int[][] {{15}, {5, 60, 0}, {5, 15, 30, 60}, {0, 5, 10, 120, 60, 30}, {}}) {
                double[] out = new double[EDGES * horizons.length];
                forecaster.predictInto(horizons, out);
                for (int edge = 0; edge < EDGES; edge++) {
                    for (int h = 0; h < horizons.length; h++) {
                        assertThat(out[edge * horizons.length + h]).as("%s, edge %d, horizon %d", forecaster, edge,
                                horizons[h]).isEqualTo(forecaster.predict(edge, horizons[h]));
                    }
                }
            }
        }
    }

    @Test
    void aNewObservation_movesTheTargetTimes() {
        List<Observation> history = new ArrayList<>(history());
        TrafficForecaster forecaster = TrafficForecaster.builder(EDGES).build();
        history.forEach(o -> forecaster.observe(o.edge(), o.epochSecond(), o.speedKmh()));
        forecaster.predict(0, 30);
        Observation later = new Observation(0, START + 72 * 3600L + 1800, 44.0);
        history.add(later);
        forecaster.observe(later.edge(), later.epochSecond(), later.speedKmh());

        for (int horizon : new int[] {30, 45}) {
            assertThat(forecaster.predict(0, horizon)).isEqualTo(expected(history, 0, later.epochSecond() + horizon * 60L));
        }
    }

    @Test
    void predictionsBeforeTheProfileIsActive_areTheSmoothingLevel() {
        TrafficForecaster forecaster = TrafficForecaster.builder(EDGES).build();
        forecaster.observe(0, START, 30.0);
        forecaster.observe(0, START + 300, 40.0);
        double[] out = new double[EDGES * 2];
        forecaster.predictInto(new int[] {5, 60}, out);

        double level = ALPHA * 40.0 + (1 - ALPHA) * 30.0;
        assertThat(out).containsExactly(level, level, 40.0, 40.0, 40.0, 40.0);
        assertThat(forecaster.predict(0, 15)).isEqualTo(level);
        assertThat(forecaster.predict(1, 15)).isEqualTo(40.0);
    }
}

package dev.perfkit.traffic.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ModelsTest {

    private static final long DAY = 86_400L;

    @Test
    void persistence_noHistory_predicts40KmhThenLastValue() {
        PersistenceModel model = new PersistenceModel(3);

        assertThat(model.predict(0, 0)).isEqualTo(40.0);
        model.observe(0, 100, 25.0);
        model.observe(0, 200, 31.5);
        model.observe(0, 300, Double.NaN); // ignored

        assertThat(model.predict(0, 10_000)).isEqualTo(31.5);
        assertThat(model.predict(1, 10_000)).isEqualTo(40.0);
    }

    @Test
    void smoothing_firstObservationSetsLevelThenBlends() {
        SmoothingModel model = new SmoothingModel(1, 0.7);

        assertThat(model.predict(0, 0)).isEqualTo(40.0);
        model.observe(0, 0, 20.0);
        assertThat(model.predict(0, 0)).isEqualTo(20.0);
        model.observe(0, 300, 30.0);

        assertThat(model.predict(0, 600)).isCloseTo(0.7 * 30 + 0.3 * 20, within(1e-12));
    }

    @Test
    void smoothing_alphaOutOfRange_rejected() {
        assertThatThrownBy(() -> new SmoothingModel(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new SmoothingModel(1, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void profile_takesPartOnlyOnceHistorySpansEnoughDays() {
        TimeOfDayProfile profile = new TimeOfDayProfile(1, 60, 3);
        long eightAm = 8 * 3600;

        profile.observe(0, eightAm, 20);
        profile.observe(0, DAY + eightAm + 600, 30);
        assertThat(profile.isActive()).isFalse();
        assertThat(profile.predict(0, 3 * DAY + eightAm)).isNaN();

        profile.observe(0, 2 * DAY + eightAm + 1200, 40);

        assertThat(profile.isActive()).isTrue();
        assertThat(profile.distinctDays()).isEqualTo(3);
        assertThat(profile.predict(0, 3 * DAY + eightAm + 1800)).isCloseTo(30.0, within(1e-12));
        assertThat(profile.predict(0, 3 * DAY + 9 * 3600)).isNaN(); // empty bin
    }

    @Test
    void forecaster_predictAllMatchesSinglePredictionsAndDefaultsTo40() {
        TrafficForecaster forecaster = TrafficForecaster.builder(3).alpha(0.5).build();
        forecaster.observe(0, 1000, 20);
        forecaster.observe(0, 1300, 30);
        forecaster.observe(2, 1300, 50);

        Forecast forecast = forecaster.predictAll(5, 15, 30, 60);

        assertThat(forecast.size()).isEqualTo(12);
        assertThat(forecast.speedKmh(0, 0)).isEqualTo(25.0);
        assertThat(forecast.speedKmh(1, 3)).isEqualTo(40.0);
        assertThat(forecast.speedKmh(2, 2)).isEqualTo(50.0);
        for (int edge = 0; edge < 3; edge++) {
            int[] horizons = forecast.horizonsMinutes();
            for (int h = 0; h < horizons.length; h++) {
                assertThat(forecaster.predict(edge, horizons[h])).isEqualTo(forecast.speedKmh(edge, h));
            }
        }
        assertThat(forecast.issuedAtEpochSecond()).isEqualTo(1300);
    }

    @Test
    void forecaster_predictAllWithActiveProfile_matchesSinglePredictionsExactly() {
        int edges = 20;
        TrafficForecaster forecaster = TrafficForecaster.builder(edges).alpha(0.6).profileWeight(0.3)
                .minProfileDays(2).build();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (long t = 0; t < 3 * DAY; t += 600) {
            for (int edge = 0; edge < edges - 2; edge++) { // the last two edges are never observed
                if (random.nextInt(4) != 0) {
                    forecaster.observe(edge, t, 10 + random.nextDouble() * 50);
                }
            }
        }
        assertThat(forecaster.profileActive()).isTrue();

        int[] horizons = {0, 5, 15, 30, 60, 600};
        Forecast forecast = forecaster.predictAll(horizons);

        for (int edge = 0; edge < edges; edge++) {
            for (int h = 0; h < horizons.length; h++) {
                assertThat(forecast.speedKmh(edge, h)).as("edge %d, horizon %d min", edge, horizons[h])
                        .isEqualTo(forecaster.predict(edge, horizons[h]));
            }
        }
        assertThat(forecast.speedKmh(edges - 1, 0)).isEqualTo(40.0);
    }

    @Test
    void forecaster_predictInto_reusesTheCallersArray() {
        TrafficForecaster forecaster = TrafficForecaster.builder(144).build();
        double[] out = new double[144 * 4];

        forecaster.predictInto(TrafficForecaster.DEFAULT_HORIZONS_MINUTES, out);

        assertThat(out).containsOnly(40.0);
        assertThatThrownBy(() -> forecaster.predictInto(TrafficForecaster.DEFAULT_HORIZONS_MINUTES, new double[10]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("576");
        assertThatThrownBy(() -> forecaster.predict(144, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> forecaster.predict(0, -5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("horizonMinutes");
    }

    @Test
    void forecaster_profileBlendsInAfterSeveralDays() {
        TrafficForecaster forecaster = TrafficForecaster.builder(1).alpha(1.0).profileWeight(0.5)
                .minProfileDays(2).build();
        long eightAm = 8 * 3600;
        forecaster.observe(0, eightAm + 300, 20);         // day 0, bin 8
        forecaster.observe(0, eightAm - 300, 40);         // day 0, bin 7
        assertThat(forecaster.profileActive()).isFalse();
        forecaster.observe(0, DAY + eightAm - 300, 40);  // day 1, bin 7: latest observation, level 40

        assertThat(forecaster.profileActive()).isTrue();
        // 15 min after 07:55 is 08:10 (bin 8, profile 20): 0.5 * 40 + 0.5 * 20
        assertThat(forecaster.predict(0, 15)).isCloseTo(30.0, within(1e-12));
        // 1 min after 07:55 is still bin 7 (profile 40)
        assertThat(forecaster.predict(0, 1)).isCloseTo(40.0, within(1e-12));
    }
}

package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Values recorded through the API give the same statistics as HdrHistogram computes on the same values. */
class PercentileTest {

    @Test
    void knownValues_matchHdrHistogramsOwnComputation() {
        PerfRegistry registry = new PerfRegistry();
        PerfTimer timer = registry.timer("known");
        Histogram reference = new Histogram(1, PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE,
                PerfConfig.DEFAULT_SIGNIFICANT_DIGITS);
        SplittableRandom random = new SplittableRandom(42);
        long sum = 0;
        for (int i = 0; i < 50_000; i++) {
            // log-uniform from 1 ns to about 10 s
            long value = (long) Math.exp(random.nextDouble() * Math.log(10_000_000_000.0));
            timer.record(value);
            reference.recordValue(value);
            sum += value;
        }

        TimerSnapshot snapshot = timer.snapshot();
        assertThat(snapshot.count()).isEqualTo(reference.getTotalCount());
        assertThat(snapshot.p50()).isEqualTo(reference.getValueAtPercentile(50));
        assertThat(snapshot.p90()).isEqualTo(reference.getValueAtPercentile(90));
        assertThat(snapshot.p99()).isEqualTo(reference.getValueAtPercentile(99));
        assertThat(snapshot.p999()).isEqualTo(reference.getValueAtPercentile(99.9));
        assertThat(snapshot.max()).isEqualTo(reference.getMaxValue());
        assertThat(snapshot.min()).isEqualTo(reference.getMinValue());
        assertThat(snapshot.total()).isEqualTo(sum);
        assertThat(snapshot.mean()).isEqualTo((double) sum / 50_000);
        assertThat(snapshot.histogram()).isEqualTo(reference);
    }

    @Test
    void everyPercentile_minAndMax_matchHdrHistogram_acrossDistributionsIncludingZero() {
        double[] percentiles = {0.0, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999, 100};
        for (int seed = 0; seed < 20; seed++) {
            PerfTimer timer = new PerfRegistry().timer("dist");
            Histogram reference = new Histogram(1, PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE,
                    PerfConfig.DEFAULT_SIGNIFICANT_DIGITS);
            SplittableRandom random = new SplittableRandom(seed);
            int n = 1 + random.nextInt(5_000);
            double scale = Math.log(10.0 + random.nextInt(1_000_000_000));
            for (int i = 0; i < n; i++) {
                long value = seed % 4 == 0 && i % 7 == 0 ? 0 : (long) Math.exp(random.nextDouble() * scale);
                timer.record(value);
                reference.recordValue(value);
            }

            TimerSnapshot snapshot = timer.snapshot();
            for (double p : percentiles) {
                assertThat(snapshot.valueAtPercentile(p)).as("seed %d, p%s", seed, p)
                        .isEqualTo(reference.getValueAtPercentile(p));
            }
            assertThat(new long[] {snapshot.p50(), snapshot.p90(), snapshot.p99(), snapshot.p999()})
                    .as("seed %d, the standard percentiles (computed in one pass)", seed)
                    .containsExactly(reference.getValueAtPercentile(50), reference.getValueAtPercentile(90),
                            reference.getValueAtPercentile(99), reference.getValueAtPercentile(99.9));
            assertThat(snapshot.min()).as("seed %d min", seed).isEqualTo(reference.getMinValue());
            assertThat(snapshot.max()).as("seed %d max", seed).isEqualTo(reference.getMaxValue());
        }
    }

    @Test
    void smallExactValues_giveExactPercentiles() {
        PerfTimer timer = new PerfRegistry().timer("exact");
        for (int v = 1; v <= 100; v++) {
            timer.record(v);
        }

        TimerSnapshot snapshot = timer.snapshot();
        assertThat(snapshot.p50()).isEqualTo(50);
        assertThat(snapshot.p99()).isEqualTo(99);
        assertThat(snapshot.max()).isEqualTo(100);
        assertThat(snapshot.mean()).isEqualTo(50.5);
    }
}

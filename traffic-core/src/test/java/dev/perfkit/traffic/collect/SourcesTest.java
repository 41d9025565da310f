package dev.perfkit.traffic.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficColumns;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.validation.Validator;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcesTest {

    @Test
    void bundledRuns_twelveRunsOf144RecordsWithWeather() {
        List<TrafficRun> runs = ReplaySource.bundledRuns();

        assertThat(runs).hasSize(12);
        // run_20251030_032440 is 03:24:40 in Ho Chi Minh City (UTC+7): 20:24:40 UTC the day before
        assertThat(runs.get(0).runTimestamp()).isEqualTo(LocalDateTime.of(2025, 10, 29, 20, 24, 40));
        assertThat(runs.get(11).runTimestamp()).isEqualTo(LocalDateTime.of(2025, 10, 30, 9, 0, 55));
        assertThat(runs.get(0).records().get(0).timestamp()).isBetween(runs.get(0).runTimestamp(),
                runs.get(0).runTimestamp().plusMinutes(5)); // records are converted like the run name
        assertThat(runs.get(0).weather().get(0).timestamp()).isBetween(runs.get(0).runTimestamp(),
                runs.get(0).runTimestamp().plusMinutes(5));
        RoadNetwork network = RoadNetwork.hcmc();
        for (TrafficRun run : runs) {
            assertThat(run.records()).hasSize(144)
                    .allSatisfy(r -> assertThat(network.edgeIndex(r.nodeAId(), r.nodeBId())).isNotNegative());
            assertThat(run.weather()).hasSize(64);
        }
        TrafficRecord first = runs.get(0).records().get(0);
        assertThat(first.distanceKm()).isEqualTo(0.981);
        assertThat(first.durationSec()).isEqualTo(143);
        assertThat(first.timestamp()).isEqualTo(LocalDateTime.parse("2025-10-29T20:24:51.023872")); // 03:24:51 local
    }

    @Test
    void replay_collectsInOrderThenWrapsAroundOneDayLater() {
        ReplaySource source = ReplaySource.bundled();
        List<TrafficRun> runs = source.runs();

        for (int i = 0; i < 12; i++) {
            assertThat(source.collect()).isEqualTo(runs.get(i));
        }
        TrafficRun wrapped = source.collect();

        assertThat(wrapped.runTimestamp()).isEqualTo(runs.get(0).runTimestamp().plusDays(1));
        assertThat(wrapped.records().get(0).timestamp())
                .isEqualTo(runs.get(0).records().get(0).timestamp().plusDays(1));
        assertThat(wrapped.records().get(0).speedKmh()).isEqualTo(runs.get(0).records().get(0).speedKmh());
        assertThat(source.position()).isEqualTo(13);
    }

    @Test
    void replay_skipPast_resumesAfterAStoredRun() {
        ReplaySource source = ReplaySource.bundled();
        LocalDateTime fifth = source.runs().get(4).runTimestamp();

        source.skipPast(fifth);

        assertThat(source.collect().runTimestamp()).isEqualTo(source.runs().get(5).runTimestamp());
        source.skipPast(source.runs().get(11).runTimestamp());
        assertThat(source.collect().runTimestamp()).isEqualTo(source.runs().get(0).runTimestamp().plusDays(1));
    }

    @Test
    void simulated_sameSeedSameData_validRowsForEveryEdge() {
        SimulatedSource a = SimulatedSource.builder(500).seed(11).build();
        SimulatedSource b = SimulatedSource.builder(500).seed(11).build();

        TrafficRun runA = a.collect();
        TrafficRun runB = b.collect();

        assertThat(a.network().edgeCount()).isEqualTo(500);
        assertThat(runA.records()).hasSize(500).isEqualTo(runB.records());
        assertThat(new Validator().validate(runA.records()).passedRows()).isEqualTo(500);
        assertThat(a.collect().runTimestamp()).isEqualTo(runA.runTimestamp().plus(Duration.ofMinutes(5)));
        assertThat(SimulatedSource.builder(500).seed(12).build().collect().records())
                .isNotEqualTo(runA.records());
    }

    @Test
    void simulated_columns_matchRecordForm() {
        SimulatedSource records = SimulatedSource.builder(30).seed(5).build();
        SimulatedSource columns = SimulatedSource.builder(30).seed(5).build();

        TrafficRun run = records.collect();
        TrafficColumns cols = columns.collectColumns(1);

        assertThat(cols.size()).isEqualTo(30);
        for (int i = 0; i < 30; i++) {
            assertThat(cols.speedKmh(i)).isEqualTo(run.records().get(i).speedKmh());
            assertThat(cols.edgeIndex(i)).isEqualTo(i);
        }
    }
}

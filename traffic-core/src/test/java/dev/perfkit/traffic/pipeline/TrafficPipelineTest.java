package dev.perfkit.traffic.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.Perf;
import dev.perfkit.PerfRegistry;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.traffic.collect.DirectionsSource;
import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.collect.SimulatedSource;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.storage.TrafficStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficPipelineTest {

    @TempDir
    Path dir;

    @Test
    void runCycle_replay_collectsStoresAndForecastsAll144Edges() {
        Path db = dir.resolve("traffic.db");
        CycleSummary summary;
        try (TrafficPipeline pipeline = TrafficPipeline.builder().source(ReplaySource.bundled()).sqlite(db).build()) {
            summary = pipeline.runCycle();
            assertThat(pipeline.store().count()).isEqualTo(144);
        }

        System.out.println(summary);
        assertThat(summary.source()).isEqualTo("replay");
        assertThat(summary.rowsCollected()).isEqualTo(144);
        assertThat(summary.rowsValid()).isEqualTo(144);
        assertThat(summary.rowsRejected()).isZero();
        assertThat(summary.rejectionReasons()).isEmpty();
        assertThat(summary.rowsStored()).isEqualTo(144);
        assertThat(summary.featureRows()).isEqualTo(144);
        assertThat(summary.featureColumns()).isGreaterThan(40);
        assertThat(summary.horizonsMinutes()).containsExactly(5, 15, 30, 60);
        assertThat(summary.forecastCount()).isEqualTo(144 * 4);
        assertThat(summary.meanForecastKmh()).isBetween(3.0, 60.0);
        assertThat(summary.stageNanos()).containsOnlyKeys("collect", "validate", "store", "features", "forecast")
                .allSatisfy((stage, nanos) -> assertThat(nanos).as(stage).isPositive());
        assertThat(summary.totalNanos()).isGreaterThanOrEqualTo(summary.stageNanos().values().stream()
                .mapToLong(Long::longValue).sum());
    }

    @Test
    void runCycle_withRetention_deletesOlderRowsInItsOwnTimedStageAndReportsIt() {
        TrafficRun first = ReplaySource.bundledRuns().get(0);
        LocalDateTime old = first.runTimestamp().minusDays(31);
        LocalDateTime recent = first.runTimestamp().minusDays(29);
        PerfRegistry registry = new PerfRegistry();
        PerfRegistry previous = Perf.setRegistry(registry);
        CycleSummary summary;
        try (TrafficStore store = TrafficStore.open(dir.resolve("retention.db"))) {
            store.save(old, List.of(new TrafficRecord("x", "y", old, 1, 60, 60, "real"),
                    new TrafficRecord("y", "x", old, 1, 60, 60, "real")));
            store.save(recent, List.of(new TrafficRecord("x", "y", recent, 1, 60, 60, "real")));
            try (TrafficPipeline pipeline = TrafficPipeline.builder().store(store).retention(Duration.ofDays(30))
                    .build()) {
                summary = pipeline.runCycle();
            }
            assertThat(store.count()).isEqualTo(144 + 1);
            assertThat(store.range(old, old)).isEmpty();
        } finally {
            Perf.setRegistry(previous);
        }

        assertThat(summary.rowsDeleted()).isEqualTo(2);
        assertThat(summary.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(summary.stageNanos()).containsKeys("store", "retention");
        assertThat(summary.stageNanos().get("retention")).isPositive();
        assertThat(summary.toString()).contains("deleted=2 (retention PT720H)");
        assertThat(registry.snapshot(TrafficMetrics.CYCLE_RETENTION).orElseThrow().count()).isEqualTo(1);
        assertThat(registry.snapshot(TrafficMetrics.STORAGE_CLEANUP).orElseThrow().count()).isEqualTo(1);
    }

    @Test
    void retention_outsideItsRange_rejectedWithTheRange() {
        assertThatThrownBy(() -> TrafficPipeline.builder().retention(Duration.ofMinutes(59)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1 h, 36500 days]")
                .hasMessageContaining("PT59M");
    }

    @Test
    void runCycle_sameRunStoredTwice_countsTheRepeatsAsRejectedDuplicates() {
        Path db = dir.resolve("twice.db");
        try (TrafficPipeline pipeline = TrafficPipeline.builder().sqlite(db).build()) {
            assertThat(pipeline.runCycle().rowsStored()).isEqualTo(144);
        }
        CycleSummary again;
        try (TrafficPipeline pipeline = TrafficPipeline.builder().sqlite(db).primeWindow(Duration.ZERO).build()) {
            again = pipeline.runCycle(); // a fresh replay starts from the first run again
            assertThat(pipeline.store().count()).isEqualTo(144);
        }

        assertThat(again.rowsCollected()).isEqualTo(144);
        assertThat(again.rowsStored()).isZero();
        assertThat(again.rowsValid()).isZero();
        assertThat(again.rowsRejected()).isEqualTo(144);
        assertThat(again.rejectionReasons()).containsExactly(Map.entry(TrafficPipeline.DUPLICATE_OF_STORED, 144));
    }

    @Test
    void runCycle_isWoven_recordsTheFiveTargetOperationsWithTheirTargets() {
        PerfRegistry registry = new PerfRegistry();
        PerfRegistry previous = Perf.setRegistry(registry);
        try (TrafficPipeline pipeline = TrafficPipeline.builder().sqlite(dir.resolve("woven.db")).build()) {
            pipeline.runCycle();
        } finally {
            Perf.setRegistry(previous);
        }

        Map<String, Long> targets = Map.of(TrafficMetrics.FEATURES_BUILD, 1_000_000_000L,
                TrafficMetrics.GEO_HAVERSINE, 1_000_000L, TrafficMetrics.VALIDATION_VALIDATE, 500_000_000L,
                TrafficMetrics.STORAGE_SAVE, 100_000_000L, TrafficMetrics.FORECAST_PREDICT, 10_000_000L);
        targets.forEach((name, targetNanos) -> {
            TimerSnapshot snapshot = registry.snapshot(name).orElseThrow(() -> new AssertionError("no " + name));
            assertThat(snapshot.count()).as(name).isPositive();
            assertThat(snapshot.id().target()).as(name).isEqualTo(targetNanos);
        });
        assertThat(registry.snapshot(TrafficMetrics.GEO_HAVERSINE).orElseThrow().count()).isEqualTo(144);
        assertThat(registry.snapshot("traffic.storage.save.alloc")).as("storage is @Profiled").isPresent();
    }

    @Test
    void shorterThanStraightLine_countsImpossibleDistances_andNoneInTheRealRun() {
        try (TrafficPipeline pipeline = TrafficPipeline.builder().sqlite(dir.resolve("geometry.db")).build()) {
            List<TrafficRecord> real = ReplaySource.bundledRuns().get(0).records();
            TrafficRecord first = real.get(0);
            TrafficRecord impossible = new TrafficRecord(first.nodeAId(), first.nodeBId(), first.timestamp(),
                    first.distanceKm() / 10, first.durationSec(), first.speedKmh(), first.apiType());

            assertThat(pipeline.shorterThanStraightLine(real)).isZero();
            assertThat(pipeline.shorterThanStraightLine(List.of(impossible, first))).isEqualTo(1);
        }
    }

    @Test
    void runCycle_severalCycles_featuresKeepHistoryAndForecastFollowsData() {
        try (TrafficPipeline pipeline = TrafficPipeline.builder().sqlite(dir.resolve("traffic.db")).build()) {
            List<CycleSummary> summaries = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                summaries.add(pipeline.runCycle());
            }

            // Runs 3..5 (06:30, 07:00, 07:31) lie within the 2-hour feature window of the last one.
            assertThat(summaries.get(5).featureRows()).isEqualTo(3 * 144);
            assertThat(pipeline.store().count()).isEqualTo(6 * 144);
            TrafficRun last = ReplaySource.bundledRuns().get(5);
            TrafficRecord r = last.records().get(0);
            int edge = RoadNetwork.hcmc().edgeIndex(r.nodeAId(), r.nodeBId());
            double forecast = summaries.get(5).forecast().speedKmh(edge, 0);
            assertThat(forecast).isNotEqualTo(40.0).isBetween(0.0, 120.0);
        }
    }

    @Test
    void runCycle_newPipelineOnTheSameFile_primesFromTheStore() {
        Path db = dir.resolve("traffic.db");
        ReplaySource first = ReplaySource.bundled();
        try (TrafficPipeline pipeline = TrafficPipeline.builder().source(first).sqlite(db).build()) {
            pipeline.runCycle();
            pipeline.runCycle();
        }
        ReplaySource resumed = ReplaySource.bundled();
        try (TrafficStore store = TrafficStore.open(db)) {
            resumed.skipPast(store.latest().orElseThrow().runTimestamp());
        }

        try (TrafficPipeline pipeline = TrafficPipeline.builder().source(resumed).sqlite(db).build()) {
            CycleSummary summary = pipeline.runCycle();

            assertThat(summary.runTimestamp()).isEqualTo(ReplaySource.bundledRuns().get(2).runTimestamp());
            // Runs 0 and 1 (03:24-03:25) are more than 2 h before run 2 (05:25:16): only run 2 is in the window.
            assertThat(summary.featureRows()).isEqualTo(144);
            assertThat(pipeline.store().count()).isEqualTo(3 * 144);
        }
    }

    @Test
    void runCycle_simulatedSource_rejectsNothingAndForecastsEveryEdge() {
        DirectionsSource source = SimulatedSource.builder(250).seed(1).build();
        try (TrafficPipeline pipeline = TrafficPipeline.builder().source(source).sqlite(dir.resolve("sim.db"))
                .horizonsMinutes(5, 60).build()) {
            CycleSummary summary = pipeline.runCycle();

            assertThat(summary.source()).isEqualTo("simulated");
            assertThat(summary.rowsStored()).isEqualTo(250);
            assertThat(summary.forecastCount()).isEqualTo(500);
        }
    }
}

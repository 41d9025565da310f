package dev.perfkit.traffic.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.validation.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One cycle over a file in small batches: counts, rejections across batches, and a file changed between passes. */
class FileCycleTest {

    private static final String HEADER = "node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh,api_type\n";

    @TempDir
    Path dir;

    @Test
    void run_inBatchesOfTwo_storesEveryValidRow_andARepeatFromAnEarlierBatchIsADuplicateOfStored() throws Exception {
        Path file = Files.writeString(dir.resolve("rows.csv"), HEADER
                + "a,b,2025-10-30T03:24:51,1.0,100,36.0,real\n"
                + "a,c,2025-10-30T03:24:50,1.0,100,36.0,real\n"
                + "a,d,not-a-time,1.0,100,36.0,real\n"
                + "a,b,2025-10-30T03:24:51,1.0,100,36.0,real\n" // repeats row 0, in the next batch
                + "a,e,2025-10-30T03:24:52,1.0,100,250.0,real\n");
        List<long[]> progress = new ArrayList<>();

        FileCycle.Check check = FileCycle.check(file, CityTime.DEFAULT_ZONE, new Validator(), 2, (phase, read, stored,
                rejected) -> progress.add(new long[] {phase.ordinal(), read, stored, rejected}));
        try (TrafficPipeline pipeline = TrafficPipeline.builder().sqlite(dir.resolve("traffic.db")).build()) {
            FileCycle.Result result = FileCycle.run(pipeline, file, CityTime.DEFAULT_ZONE, check, 2,
                    (phase, read, stored, rejected) -> progress.add(new long[] {phase.ordinal(), read, stored,
                            rejected}));

            assertThat(check.totalRows()).isEqualTo(5);
            assertThat(check.rejectedRows()).as("per-batch validation: the repeat is not seen yet").isEqualTo(2);
            assertThat(check.runTimestamp()).isEqualTo(CityTime.toUtc(LocalDateTime.of(2025, 10, 30, 3, 24, 50),
                    CityTime.DEFAULT_ZONE));
            CycleSummary summary = result.summary();
            assertThat(summary.rowsCollected()).isEqualTo(5);
            assertThat(summary.rowsStored()).isEqualTo(2);
            assertThat(summary.rowsRejected()).isEqualTo(3);
            assertThat(summary.rejectionReasons()).containsEntry("UNREADABLE:timestamp", 1)
                    .containsEntry("OUT_OF_RANGE:speed_kmh", 1).containsEntry(TrafficPipeline.DUPLICATE_OF_STORED, 1);
            assertThat(result.firstRejected()).extracting(FileCycle.RejectedRow::row).containsExactly(2L, 4L);
            assertThat(pipeline.store().count()).isEqualTo(2);
        }
        assertThat(progress).extracting(p -> p[1]).containsExactly(2L, 4L, 5L, 2L, 4L, 5L);
        assertThat(progress.get(5)).containsExactly(1, 5, 2, 3);
    }

    @Test
    void run_fileChangedAfterTheCheck_failsAndStoresNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("rows.csv"), HEADER + "a,b,2025-10-30T03:24:51,1.0,100,36.0,real\n");
        FileCycle.Check check = FileCycle.check(file, CityTime.DEFAULT_ZONE, new Validator(), 10, (p, r, s, x) -> { });
        Files.writeString(file, HEADER + "a,b,2025-10-30T03:24:51,1.0,100,36.0,real\n"
                + "a,c,2025-10-30T03:24:51,1.0,100,36.0,real\n");

        try (TrafficPipeline pipeline = TrafficPipeline.builder().sqlite(dir.resolve("traffic.db")).build()) {
            assertThatThrownBy(() -> FileCycle.run(pipeline, file, CityTime.DEFAULT_ZONE, check, 10,
                    (p, r, s, x) -> { })).hasMessageContaining("rows.csv changed after it was checked");
            assertThat(pipeline.store().count()).isZero();
        }
    }
}

package dev.perfkit.traffic.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficStoreTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2025, 10, 30, 7, 0);

    @TempDir
    Path dir;

    static List<TrafficRecord> records(LocalDateTime timestamp, int count, String prefix) {
        List<TrafficRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new TrafficRecord(prefix + "a" + i, prefix + "b" + i, timestamp.plusNanos(i * 1_000L),
                    0.5 + i, 60 + i, 30.0 + i / 10.0, "real"));
        }
        return records;
    }

    @Test
    void save_bundledRun_roundTripsThroughLatest() {
        TrafficRun run = ReplaySource.bundledRuns().get(0);
        try (TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"))) {
            int stored = store.save(run.runTimestamp(), run.records());

            assertThat(stored).isEqualTo(144);
            assertThat(store.count()).isEqualTo(144);
            TrafficRun latest = store.latest().orElseThrow();
            assertThat(latest.runTimestamp()).isEqualTo(run.runTimestamp());
            assertThat(latest.records()).isEqualTo(run.records());
        }
    }

    @Test
    void latest_emptyStore_isEmpty_andNewestRunWins() {
        try (TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"))) {
            assertThat(store.latest()).isEmpty();
            store.save(T0, records(T0, 3, "x"));
            store.save(T0.plusMinutes(5), records(T0.plusMinutes(5), 2, "y"));

            assertThat(store.latest().orElseThrow().records()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.nodeAId()).startsWith("y"));
        }
    }

    @Test
    void open_createsBothIndexesWalModeAndSchemaVersion() throws Exception {
        Path file = dir.resolve("traffic.db");
        try (TrafficStore store = TrafficStore.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo(TrafficStore.SCHEMA_VERSION);
            assertThat(store.dialect()).isEqualTo(Dialect.SQLITE);
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("PRAGMA index_list(traffic_data)")) {
                while (rs.next()) {
                    indexes.add(rs.getString("name"));
                }
            }
            assertThat(indexes).contains("idx_timestamp", "idx_nodes");
            List<String> nodeColumns = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("PRAGMA index_info(idx_nodes)")) {
                while (rs.next()) {
                    nodeColumns.add(rs.getString("name"));
                }
            }
            assertThat(nodeColumns).containsExactly("node_a_id", "node_b_id");
            try (ResultSet rs = statement.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void open_twice_keepsDataAndSchema() {
        Path file = dir.resolve("traffic.db");
        try (TrafficStore store = TrafficStore.open(file)) {
            store.save(T0, records(T0, 5, "x"));
        }
        try (TrafficStore store = TrafficStore.open(file)) {
            assertThat(store.count()).isEqualTo(5);
            assertThat(store.schemaVersion()).isEqualTo(1);
        }
    }

    @Test
    void open_newerSchemaVersion_rejectedClearly() throws Exception {
        Path file = dir.resolve("traffic.db");
        TrafficStore.open(file).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO traffic_schema_version (version, applied_at) VALUES (2, 'x')");
        }

        assertThatThrownBy(() -> TrafficStore.open(file))
                .isInstanceOf(TrafficStoreException.class)
                .hasMessageContaining("schema version 2").hasMessageContaining("supported version 1");
    }

    @Test
    void saveBatch_failingMidway_leavesNoPartialRows() {
        try (TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"))) {
            store.save(T0, records(T0, 2, "before"));
            List<TrafficRecord> broken = new ArrayList<>(records(T0.plusMinutes(10), 5, "bad"));
            broken.set(3, new TrafficRecord(null, "b", T0.plusMinutes(10), 1, 1, 1, "real")); // NOT NULL violation
            List<TrafficRun> runs = List.of(new TrafficRun(T0.plusMinutes(5), records(T0.plusMinutes(5), 4, "good")),
                    new TrafficRun(T0.plusMinutes(10), broken));

            assertThatThrownBy(() -> store.saveBatch(runs))
                    .isInstanceOf(TrafficStoreException.class)
                    .hasMessageContaining("saveBatch").hasMessageContaining("rolled back");
            assertThatThrownBy(() -> store.save(T0.plusMinutes(10), broken))
                    .isInstanceOf(TrafficStoreException.class);

            assertThat(store.count()).isEqualTo(2);
            assertThat(store.saveBatch(runs.subList(0, 1))).isEqualTo(4);
            assertThat(store.count()).isEqualTo(6);
        }
    }

    @Test
    void save_concurrentWritersThroughThePool_allRowsStored() throws Exception {
        int writers = 4;
        int savesPerWriter = 20;
        int rowsPerSave = 10;
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try (TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"))) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String prefix = "w" + w + "-";
                futures.add(executor.submit(() -> {
                    int stored = 0;
                    for (int s = 0; s < savesPerWriter; s++) {
                        LocalDateTime t = T0.plusSeconds(s);
                        stored += store.save(t, records(t, rowsPerSave, prefix + s + "-"));
                    }
                    return stored;
                }));
            }
            int total = 0;
            for (Future<Integer> future : futures) {
                total += future.get(60, TimeUnit.SECONDS);
            }

            assertThat(total).isEqualTo(writers * savesPerWriter * rowsPerSave);
            assertThat(store.count()).isEqualTo(total);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void range_boundsAreInclusive() {
        try (TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"))) {
            for (int minute = 0; minute <= 20; minute += 5) {
                LocalDateTime t = T0.plusMinutes(minute);
                store.save(t, List.of(new TrafficRecord("a", "b", t, 1, 60, 60, "real")));
            }

            List<TrafficRecord> inside = store.range(T0.plusMinutes(5), T0.plusMinutes(15));

            assertThat(inside).extracting(TrafficRecord::timestamp)
                    .containsExactly(T0.plusMinutes(5), T0.plusMinutes(10), T0.plusMinutes(15));
            assertThat(store.range(T0.plusMinutes(5).plusNanos(1000), T0.plusMinutes(15).minusNanos(1000)))
                    .extracting(TrafficRecord::timestamp).containsExactly(T0.plusMinutes(10));
            assertThatThrownBy(() -> store.range(T0.plusMinutes(1), T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
        }
    }

    @Test
    void edgeHistory_returnsLatestOfOneEdgeOldestFirst() {
        try (TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"))) {
            for (int minute = 0; minute < 6; minute++) {
                LocalDateTime t = T0.plusMinutes(minute);
                store.save(t, List.of(new TrafficRecord("a", "b", t, 1, 60, 10 + minute, "real"),
                        new TrafficRecord("b", "a", t, 1, 60, 50, "real")));
            }

            List<TrafficRecord> history = store.edgeHistory("a", "b", 3);

            assertThat(history).extracting(TrafficRecord::speedKmh).containsExactly(13.0, 14.0, 15.0);
        }
    }

    @Test
    void deleteOlderThan_removesOnlyOlderRows() {
        try (TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"))) {
            for (int day = 0; day < 10; day++) {
                LocalDateTime t = T0.plusDays(day);
                store.save(t, records(t, 3, "d" + day));
            }

            int deleted = store.deleteOlderThan(Duration.ofDays(7), T0.plusDays(9));

            assertThat(deleted).isEqualTo(6); // days 0 and 1 are older than day 2
            assertThat(store.count()).isEqualTo(24);
            assertThat(store.range(T0, T0.plusDays(2).minusNanos(1000))).isEmpty();
        }
    }

    @Test
    void save_whileAnotherConnectionHoldsTheWriteLock_failsAfterBusyTimeoutWithClearError() throws Exception {
        Path file = dir.resolve("traffic.db");
        StoreOptions options = StoreOptions.builder().busyTimeout(Duration.ofMillis(200)).build();
        try (TrafficStore store = TrafficStore.open(file, options);
             Connection locker = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = locker.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                assertThatThrownBy(() -> store.save(T0, records(T0, 3, "x")))
                        .isInstanceOf(TrafficStoreException.class)
                        .hasMessageContaining("locked").hasMessageContaining("busy_timeout=200 ms");
            } finally {
                statement.execute("ROLLBACK");
            }
            assertThat(store.save(T0, records(T0, 3, "x"))).isEqualTo(3);
        }
    }

    @Test
    void dialect_fromJdbcUrl() {
        assertThat(Dialect.fromJdbcUrl("jdbc:sqlite:/tmp/x.db")).isEqualTo(Dialect.SQLITE);
        assertThat(Dialect.fromJdbcUrl("jdbc:postgresql://localhost:5432/traffic")).isEqualTo(Dialect.POSTGRES);
        assertThatThrownBy(() -> Dialect.fromJdbcUrl("jdbc:mysql://h/db?user=u&password=hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql").hasMessageContaining("password=****")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void storeOptions_toStringHidesPassword() {
        StoreOptions options = StoreOptions.builder().credentials("traffic", "hunter2").build();

        assertThat(options.toString()).contains("traffic").doesNotContain("hunter2");
    }
}

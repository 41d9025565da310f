package dev.perfkit.traffic.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The storage behaviour every backend must have. Subclasses open a fresh, empty database of their kind per test
 * ({@link TrafficStoreTest}: an SQLite file; {@link PostgresTrafficStoreTest}: a PostgreSQL schema on a real server).
 */
abstract class TrafficStoreContract {

    static final LocalDateTime T0 = LocalDateTime.of(2025, 10, 30, 7, 0);

    /** A new store over an empty database, owned by the caller. */
    abstract TrafficStore openStore();

    /** A plain JDBC connection to the same database as {@link #openStore()}. */
    abstract Connection connect() throws Exception;

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
        try (TrafficStore store = openStore()) {
            int stored = store.save(run.runTimestamp(), run.records());

            assertThat(stored).isEqualTo(144);
            assertThat(store.count()).isEqualTo(144);
            TrafficRun latest = store.latest().orElseThrow();
            assertThat(latest.runTimestamp()).isEqualTo(run.runTimestamp());
            List<TrafficRecord> inTimeOrder = new ArrayList<>(run.records());
            inTimeOrder.sort(Comparator.comparing(TrafficRecord::timestamp)); // stable: ties keep collection order
            assertThat(latest.records()).isEqualTo(inTimeOrder);
        }
    }

    @Test
    void latest_emptyStore_isEmpty_andNewestRunWins() {
        try (TrafficStore store = openStore()) {
            assertThat(store.latest()).isEmpty();
            store.save(T0, records(T0, 3, "x"));
            store.save(T0.plusMinutes(5), records(T0.plusMinutes(5), 2, "y"));

            assertThat(store.latest().orElseThrow().records()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.nodeAId()).startsWith("y"));
        }
    }

    @Test
    void open_createsTheIndexesOfEveryQueryAndTheCurrentSchemaVersion() throws Exception {
        try (TrafficStore store = openStore()) {
            assertThat(store.schemaVersion()).isEqualTo(TrafficStore.SCHEMA_VERSION);
        }
        try (Connection connection = connect()) {
            Map<String, List<String>> indexes = indexColumns(connection, "traffic_observations");
            assertThat(indexes).containsEntry("idx_observations_run", List.of("run_timestamp"))
                    .containsValue(List.of("timestamp", "edge_id")); // the primary key: time-ordered appends
            assertThat(indexColumns(connection, "traffic_edges")).containsValue(List.of("node_a_id", "node_b_id"));
            assertEdgeIndex(connection);
        }
    }

    /** Asserts the backend's index for {@link TrafficStore#edgeHistory} exists with its columns. */
    abstract void assertEdgeIndex(Connection connection) throws Exception;

    @Test
    void trafficDataView_hasOneRowPerRecordWithTheSchemaOneColumns() throws Exception {
        try (TrafficStore store = openStore()) {
            store.save(T0, records(T0, 3, "v"));
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT node_a_id, node_b_id, distance_km, duration_sec, "
                     + "speed_kmh, api_type, timestamp, run_timestamp FROM traffic_data ORDER BY node_a_id")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + ">" + rs.getString(2) + " " + rs.getDouble(3) + " " + rs.getDouble(4)
                        + " " + rs.getString(6));
                assertThat(rs.getString(7)).isNotBlank();
                assertThat(rs.getString(8)).isNotBlank();
            }
            assertThat(rows).containsExactly("va0>vb0 0.5 60.0 real", "va1>vb1 1.5 61.0 real",
                    "va2>vb2 2.5 62.0 real");
        }
    }

    @Test
    void saveBatch_failingMidway_leavesNoPartialRows() {
        try (TrafficStore store = openStore()) {
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
            assertThat(store.edgeHistory("gooda1", "goodb1", 5)).hasSize(1);
            assertThat(store.edgeHistory("bada0", "badb0", 5)).isEmpty(); // its edge was rolled back too
        }
    }

    @Test
    void insert_sameEdgeAndTimestampTwice_storesOnceAndNamesTheDuplicates() {
        try (TrafficStore store = openStore()) {
            List<TrafficRecord> run = records(T0, 4, "d");
            assertThat(store.insert(T0, run).rowsStored()).isEqualTo(4);

            List<TrafficRecord> again = new ArrayList<>(records(T0.plusMinutes(5), 2, "d"));
            again.add(run.get(2));
            again.add(again.get(0)); // repeated within the call
            SaveResult result = store.insert(T0.plusMinutes(5), again);

            assertThat(result.rowsStored()).isEqualTo(2);
            assertThat(result.duplicateIndexes()).containsExactly(2, 3);
            assertThat(store.count()).isEqualTo(6);
        }
    }

    @Test
    void save_concurrentWritersThroughThePool_allRowsStored() throws Exception {
        int writers = 4;
        int savesPerWriter = 20;
        int rowsPerSave = 10;
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try (TrafficStore store = openStore()) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String prefix = "w" + w + "-";
                int writer = w;
                futures.add(executor.submit(() -> {
                    int stored = 0;
                    for (int s = 0; s < savesPerWriter; s++) {
                        LocalDateTime t = T0.plusSeconds(s);
                        // the same edges in every save of a writer, shared edges across writers
                        stored += store.save(t, records(t.plusNanos(writer * 1_000_000L), rowsPerSave,
                                s % 2 == 0 ? "shared-" : prefix));
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
        try (TrafficStore store = openStore()) {
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
        try (TrafficStore store = openStore()) {
            for (int minute = 0; minute < 6; minute++) {
                LocalDateTime t = T0.plusMinutes(minute);
                store.save(t, List.of(new TrafficRecord("a", "b", t, 1, 60, 10 + minute, "real"),
                        new TrafficRecord("b", "a", t, 1, 60, 50, "real")));
            }

            List<TrafficRecord> history = store.edgeHistory("a", "b", 3);

            assertThat(history).extracting(TrafficRecord::speedKmh).containsExactly(13.0, 14.0, 15.0);
            assertThat(store.edgeHistory("a", "unknown", 3)).isEmpty();
        }
    }

    @Test
    void edgeHistory_overSparseHoursYearsAndTheEpoch_isTheNewestOfThatEdgeInTimeOrder() {
        // One edge seen at irregular times: minutes apart, hours apart, a gap of five weeks, around 1970-01-01T00:00
        // (where hours are negative and SQLite's division rounds towards zero); another edge in the same runs.
        List<LocalDateTime> times = new ArrayList<>();
        LocalDateTime epoch = LocalDateTime.of(1970, 1, 1, 0, 0);
        for (int minutes : new int[] {-150, -61, -59, -1, 0, 1, 59, 61, 150}) {
            times.add(epoch.plusMinutes(minutes).plusNanos(7_000));
        }
        for (int i = 0; i < 30; i++) {
            times.add(T0.plusMinutes(5L * i));
        }
        times.add(T0.plusHours(7).plusSeconds(1));
        times.add(T0.plusWeeks(5));
        times.add(T0.plusWeeks(5).plusMinutes(1));
        List<TrafficRecord> edge = new ArrayList<>();
        try (TrafficStore store = openStore()) {
            for (int i = 0; i < times.size(); i++) {
                LocalDateTime t = times.get(i);
                TrafficRecord mine = new TrafficRecord("h", "k", t, 1, 60, i, "real");
                edge.add(mine);
                store.save(t, List.of(mine, new TrafficRecord("k", "h", t, 1, 60, 1000 + i, "real")));
            }
            edge.sort(Comparator.comparing(TrafficRecord::timestamp));

            for (int limit : new int[] {1, 2, 3, 5, 31, 33, 40, edge.size(), edge.size() + 10}) {
                List<TrafficRecord> expected = edge.subList(Math.max(0, edge.size() - limit), edge.size());
                assertThat(store.edgeHistory("h", "k", limit)).as("limit %d", limit).isEqualTo(expected);
            }
        }
    }

    @Test
    void deleteOlderThan_removesOnlyOlderRows() {
        try (TrafficStore store = openStore()) {
            for (int day = 0; day < 10; day++) {
                LocalDateTime t = T0.plusDays(day);
                store.save(t, records(t, 3, "d" + day));
            }

            int deleted = store.deleteOlderThan(Duration.ofDays(7), T0.plusDays(9));

            assertThat(deleted).isEqualTo(6); // days 0 and 1 are older than day 2
            assertThat(store.count()).isEqualTo(24);
            assertThat(store.range(T0, T0.plusDays(2).minusNanos(1000))).isEmpty();
            assertThat(store.range(T0.plusDays(2), T0.plusDays(2))).hasSize(1);
        }
    }

    @Test
    void save_microsecondInstants_roundTripExactly() {
        LocalDateTime t = LocalDateTime.of(2025, 11, 1, 16, 30, 0, 123_456_000);
        try (TrafficStore store = openStore()) {
            store.save(t, List.of(new TrafficRecord("a", "b", t, 1, 60, 60, "real")));

            assertThat(store.latest().orElseThrow().runTimestamp()).isEqualTo(t);
            assertThat(store.range(t, t)).extracting(TrafficRecord::timestamp).containsExactly(t);
        }
    }

    /** Index name -> its columns in order, through JDBC metadata (the same call for every backend). */
    static Map<String, List<String>> indexColumns(Connection connection, String table) throws Exception {
        Map<String, TreeMap<Integer, String>> ordered = new TreeMap<>();
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet rs = meta.getIndexInfo(null, null, table, false, false)) {
            while (rs.next()) {
                String name = rs.getString("INDEX_NAME");
                if (name != null && rs.getString("COLUMN_NAME") != null) {
                    ordered.computeIfAbsent(name, k -> new TreeMap<>())
                            .put((int) rs.getShort("ORDINAL_POSITION"), rs.getString("COLUMN_NAME"));
                }
            }
        }
        Map<String, List<String>> result = new TreeMap<>();
        ordered.forEach((name, columns) -> result.put(name, List.copyOf(columns.values())));
        return result;
    }
}

package dev.perfkit.traffic.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.model.TrafficRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on a real SQLite file, plus what is SQLite's own: WAL, busy timeout, migration of v1 files. */
class TrafficStoreTest extends TrafficStoreContract {

    @TempDir
    Path dir;

    @Override
    TrafficStore openStore() {
        return TrafficStore.open(dir.resolve("traffic.db"));
    }

    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("traffic.db"));
    }

    @Test
    void open_sqliteFile_isInWalModeWithATableClusteredByTime() throws Exception {
        Path file = dir.resolve("traffic.db");
        try (TrafficStore store = TrafficStore.open(file)) {
            assertThat(store.dialect()).isEqualTo(Dialect.SQLITE);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (TrafficStore store = openStore();
                 Connection pooled = store.connection();
                 Statement pooledStatement = pooled.createStatement();
                 ResultSet rs = pooledStatement.executeQuery("PRAGMA wal_autocheckpoint")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(TrafficStore.WAL_AUTOCHECKPOINT_PAGES);
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT sql FROM sqlite_master WHERE name = 'traffic_observations'")) {
                rs.next();
                assertThat(rs.getString(1)).contains("PRIMARY KEY (timestamp, edge_id)").endsWith("WITHOUT ROWID");
            }
        }
    }

    @Override
    void assertEdgeIndex(Connection connection) throws Exception {
        assertThat(indexSql(connection, "idx_observations_hour_edge"))
                .isEqualTo("CREATE INDEX idx_observations_hour_edge ON traffic_observations ("
                        + "timestamp / 3600000000, edge_id, timestamp)");
        assertThat(indexSql(connection, "idx_observations_edge")).isNull();
    }

    private static String indexSql(Connection connection, String name) throws Exception {
        try (var query = connection.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void open_versionTwoFile_rebuildsTheEdgeIndexHourFirstAndKeepsEveryRow() throws Exception {
        LocalDateTime t = LocalDateTime.of(2025, 10, 30, 0, 30, 0, 1_000);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            // schema 2 as the previous release created it
            statement.execute("CREATE TABLE traffic_schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER "
                    + "NOT NULL)");
            statement.execute("INSERT INTO traffic_schema_version VALUES (2, 0)");
            statement.execute("CREATE TABLE traffic_edges (edge_id INTEGER PRIMARY KEY, node_a_id TEXT NOT NULL, "
                    + "node_b_id TEXT NOT NULL, UNIQUE (node_a_id, node_b_id))");
            statement.execute("CREATE TABLE traffic_observations (timestamp INTEGER NOT NULL, edge_id INTEGER NOT "
                    + "NULL REFERENCES traffic_edges (edge_id), run_timestamp INTEGER NOT NULL, distance_km REAL, "
                    + "duration_sec REAL, speed_kmh REAL, api_type TEXT, PRIMARY KEY (timestamp, edge_id)) "
                    + "WITHOUT ROWID");
            statement.execute("CREATE INDEX idx_observations_edge ON traffic_observations (edge_id, timestamp)");
            statement.execute("CREATE INDEX idx_observations_run ON traffic_observations (run_timestamp)");
            statement.execute("INSERT INTO traffic_edges VALUES (1, 'n1', 'n2'), (2, 'n2', 'n1')");
            long micros = Dialect.epochMicros(t);
            statement.execute("INSERT INTO traffic_observations VALUES (" + micros + ", 1, " + micros
                    + ", 1.2, 90, 48, 'real'), (" + micros + ", 2, " + micros + ", 1.3, NULL, 52, 'real'), ("
                    + (micros + 3_600_000_000L) + ", 1, " + (micros + 3_600_000_000L) + ", 1.1, 80, 50, 'replay')");
        }

        try (TrafficStore store = openStore()) {
            assertThat(store.schemaVersion()).isEqualTo(3);
            assertThat(store.count()).isEqualTo(3);
            assertThat(store.edgeHistory("n1", "n2", 10)).containsExactly(
                    new TrafficRecord("n1", "n2", t, 1.2, 90, 48, "real"),
                    new TrafficRecord("n1", "n2", t.plusHours(1), 1.1, 80, 50, "replay"));
            assertThat(store.edgeHistory("n2", "n1", 10)).containsExactly(
                    new TrafficRecord("n2", "n1", t, 1.3, Double.NaN, 52, "real"));
        }
        try (Connection connection = connect()) {
            assertEdgeIndex(connection);
        }
    }

    @Test
    void commits_reachTheDatabaseFileThroughTheBackgroundCheckpoint_longBeforeTheAutomaticOne() throws Exception {
        Path file = dir.resolve("traffic.db");
        java.util.Set<Thread> checkpointersBefore = checkpointThreads();
        try (TrafficStore store = openStore()) {
            assertThat(checkpointThreads()).hasSize(checkpointersBefore.size() + 1);
            for (int run = 0; run < 20; run++) { // about a hundred WAL pages: far below the automatic threshold
                LocalDateTime t = T0.plusMinutes(5L * run);
                store.save(t, records(t, 10, "c"));
            }
            // The database file alone (copied without its WAL) holds only what a checkpoint moved into it.
            Path copy = dir.resolve("copy.db");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long rowsInFile = -1;
            while (rowsInFile != 200 && System.nanoTime() < deadline) {
                Thread.sleep(SqliteCheckpointer.PERIOD.toMillis());
                java.nio.file.Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                rowsInFile = rowsIn(copy);
            }
            assertThat(rowsInFile).as("rows in the database file without its WAL").isEqualTo(200);
            try (Connection pooled = store.connection(); Statement statement = pooled.createStatement();
                 ResultSet rs = statement.executeQuery("PRAGMA wal_autocheckpoint")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(TrafficStore.WAL_AUTOCHECKPOINT_PAGES).isGreaterThan(1_000);
            }
        }
        assertThat(checkpointThreads()).isSubsetOf(checkpointersBefore); // close() stopped this store's thread
    }

    private static java.util.Set<Thread> checkpointThreads() {
        java.util.Set<Thread> threads = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("traffic-store-checkpoint") && t.isAlive()) {
                threads.add(t);
            }
        }
        return threads;
    }

    private static long rowsIn(Path sqliteFile) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM traffic_observations")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException noTableYet) {
            return -1;
        }
    }

    @Test
    void trafficDataView_showsInstantsAsUtcText() throws Exception {
        LocalDateTime t = LocalDateTime.of(2025, 10, 30, 0, 30, 0, 250_000);
        try (TrafficStore store = openStore()) {
            store.save(t, List.of(new TrafficRecord("a", "b", t, 1, 60, 60, "real")));
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT timestamp, run_timestamp FROM traffic_data")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("2025-10-30T00:30:00.000250Z");
            assertThat(rs.getString(2)).isEqualTo("2025-10-30T00:30:00.000250Z");
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
            assertThat(store.schemaVersion()).isEqualTo(3);
            assertThat(store.edgeHistory("xa1", "xb1", 3)).hasSize(1); // edge ids read back from the file
        }
    }

    @Test
    void open_newerSchemaVersion_rejectedClearly() throws Exception {
        Path file = dir.resolve("traffic.db");
        TrafficStore.open(file).close();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO traffic_schema_version (version, applied_at) VALUES (4, 0)");
        }

        assertThatThrownBy(() -> TrafficStore.open(file))
                .isInstanceOf(TrafficStoreException.class)
                .hasMessageContaining("schema version 4").hasMessageContaining("supported version 3");
    }

    /** A schema-1 file as the previous release wrote it: text timestamps (UTC without zone), text node ids. */
    private void writeVersionOneFile(List<String> valueRows) throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE traffic_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT "
                    + "NOT NULL)");
            statement.execute("INSERT INTO traffic_schema_version VALUES (1, '2025-10-30T00:00:00.000000')");
            statement.execute("CREATE TABLE traffic_data (id INTEGER PRIMARY KEY, run_timestamp TEXT NOT NULL, "
                    + "timestamp TEXT NOT NULL, node_a_id TEXT NOT NULL, node_b_id TEXT NOT NULL, distance_km REAL, "
                    + "duration_sec REAL, speed_kmh REAL, api_type TEXT)");
            statement.execute("CREATE INDEX idx_timestamp ON traffic_data (timestamp)");
            statement.execute("CREATE INDEX idx_nodes ON traffic_data (node_a_id, node_b_id)");
            statement.execute("CREATE INDEX idx_run_timestamp ON traffic_data (run_timestamp)");
            for (String values : valueRows) {
                statement.execute("INSERT INTO traffic_data (run_timestamp, timestamp, node_a_id, node_b_id, "
                        + "distance_km, duration_sec, speed_kmh, api_type) VALUES (" + values + ")");
            }
        }
    }

    @Test
    void open_versionOneFile_migratesEveryRowWithTheSameInstant() throws Exception {
        writeVersionOneFile(List.of(
                "'2025-10-30T03:24:40.000000', '2025-10-30T03:24:41.500000', 'n1', 'n2', 1.2, 90, 48, 'real'",
                "'2025-10-30T03:24:40.000000', '2025-10-30T03:24:42.000000', 'n2', 'n1', 1.3, NULL, 52, 'real'",
                "'2025-10-30T05:25:16.000000', '2025-10-30T05:25:17.000001', 'n1', 'n2', 1.2, 95, 45.5, 'replay'"));

        try (TrafficStore store = openStore()) {
            assertThat(store.schemaVersion()).isEqualTo(3);
            assertThat(store.count()).isEqualTo(3);
            assertThat(store.range(LocalDateTime.of(2000, 1, 1, 0, 0), LocalDateTime.of(2030, 1, 1, 0, 0)))
                    .containsExactly(
                            new TrafficRecord("n1", "n2", LocalDateTime.of(2025, 10, 30, 3, 24, 41, 500_000_000),
                                    1.2, 90, 48, "real"),
                            new TrafficRecord("n2", "n1", LocalDateTime.of(2025, 10, 30, 3, 24, 42), 1.3, Double.NaN,
                                    52, "real"),
                            new TrafficRecord("n1", "n2", LocalDateTime.of(2025, 10, 30, 5, 25, 17, 1_000), 1.2, 95,
                                    45.5, "replay"));
            assertThat(store.latest().orElseThrow().runTimestamp()).isEqualTo(LocalDateTime.of(2025, 10, 30, 5, 25, 16));
            assertThat(store.edgeHistory("n1", "n2", 10)).hasSize(2);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM traffic_data_v1_duplicates")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void open_versionOneFileFromTwoThreadsAtOnce_migratesItOnce() throws Exception {
        writeVersionOneFile(List.of(
                "'2025-10-30T03:24:40.000000', '2025-10-30T03:24:41.000000', 'n1', 'n2', 1.2, 90, 48, 'real'",
                "'2025-10-30T03:24:40.000000', '2025-10-30T03:24:42.000000', 'n2', 'n1', 1.3, 95, 52, 'real'"));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        Callable<Long> openAndCount = () -> {
            go.await();
            try (TrafficStore store = openStore()) {
                return store.count();
            }
        };
        try {
            Future<Long> first = executor.submit(openAndCount);
            Future<Long> second = executor.submit(openAndCount);
            go.countDown();

            assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            executor.shutdownNow();
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM traffic_schema_version WHERE version = " + TrafficStore.SCHEMA_VERSION)) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void open_versionOneFileWithARepeatedRecord_keepsTheRepeatInTheDuplicatesTable() throws Exception {
        String row = "'2025-10-30T03:24:40.000000', '2025-10-30T03:24:41.000000', 'n1', 'n2', 1.2, 90, 48, 'real'";
        writeVersionOneFile(List.of(row, row));

        try (TrafficStore store = openStore()) {
            assertThat(store.count()).isEqualTo(1);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, node_a_id, timestamp FROM traffic_data_v1_duplicates")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(2);
            assertThat(rs.getString(2)).isEqualTo("n1");
            assertThat(rs.getString(3)).isEqualTo("2025-10-30T03:24:41.000000");
            assertThat(rs.next()).isFalse();
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

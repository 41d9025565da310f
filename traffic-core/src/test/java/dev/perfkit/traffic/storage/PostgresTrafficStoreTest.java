package dev.perfkit.traffic.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.traffic.model.TrafficRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage contract on a real PostgreSQL server ({@link PostgresTestDatabase}), one fresh schema per test. */
class PostgresTrafficStoreTest extends TrafficStoreContract {

    private String url;

    @BeforeEach
    void createSchema() throws Exception {
        url = PostgresTestDatabase.freshSchemaUrl();
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (url != null) {
            PostgresTestDatabase.dropSchema(url);
        }
    }

    @Override
    TrafficStore openStore() {
        return TrafficStore.open(url, StoreOptions.defaults());
    }

    @Override
    Connection connect() throws Exception {
        return DriverManager.getConnection(url);
    }

    @Override
    void assertEdgeIndex(Connection connection) throws Exception {
        assertThat(indexColumns(connection, "traffic_observations"))
                .containsEntry("idx_observations_edge", List.of("edge_id", "timestamp"));
    }

    @Test
    void open_postgresUrl_usesThePostgresDialectAndTimestamptz() throws Exception {
        try (TrafficStore store = openStore()) {
            assertThat(store.dialect()).isEqualTo(Dialect.POSTGRES);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT data_type FROM information_schema.columns WHERE "
                     + "table_schema = current_schema() AND table_name = 'traffic_observations' "
                     + "AND column_name = 'timestamp'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("timestamp with time zone");
        }
    }

    @Test
    void trafficDataView_showsTheInstantInAnySessionTimeZone() throws Exception {
        LocalDateTime t = LocalDateTime.of(2025, 10, 30, 0, 30);
        try (TrafficStore store = openStore()) {
            store.save(t, List.of(new TrafficRecord("a", "b", t, 1, 60, 60, "real")));
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET TIME ZONE 'Asia/Ho_Chi_Minh'");
            try (ResultSet rs = statement.executeQuery("SELECT to_char(timestamp, 'YYYY-MM-DD HH24:MI TZH') "
                    + "FROM traffic_data")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2025-10-30 07:30 +07");
            }
        }
    }

    @Test
    void open_versionOneDatabase_migratesEveryRowWithTheSameInstant() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE traffic_schema_version (version INTEGER PRIMARY KEY, applied_at "
                    + "TIMESTAMP NOT NULL)");
            statement.execute("INSERT INTO traffic_schema_version VALUES (1, '2025-10-30 00:00:00')");
            statement.execute("CREATE TABLE traffic_data (id BIGSERIAL PRIMARY KEY, run_timestamp TIMESTAMP NOT NULL, "
                    + "timestamp TIMESTAMP NOT NULL, node_a_id TEXT NOT NULL, node_b_id TEXT NOT NULL, "
                    + "distance_km DOUBLE PRECISION, duration_sec DOUBLE PRECISION, speed_kmh DOUBLE PRECISION, "
                    + "api_type TEXT)");
            statement.execute("CREATE INDEX idx_nodes ON traffic_data (node_a_id, node_b_id)");
            statement.execute("INSERT INTO traffic_data (run_timestamp, timestamp, node_a_id, node_b_id, distance_km, "
                    + "duration_sec, speed_kmh, api_type) VALUES "
                    + "('2025-10-30 03:24:40', '2025-10-30 03:24:41.5', 'n1', 'n2', 1.2, 90, 48, 'real'), "
                    + "('2025-10-30 03:24:40', '2025-10-30 03:24:41.5', 'n1', 'n2', 1.2, 90, 48, 'real'), "
                    + "('2025-10-30 05:25:16', '2025-10-30 05:25:17', 'n2', 'n1', 1.3, 95, 45.5, 'replay')");
        }

        try (TrafficStore store = openStore()) {
            assertThat(store.schemaVersion()).isEqualTo(3);
            assertThat(store.range(LocalDateTime.of(2025, 10, 30, 0, 0), LocalDateTime.of(2025, 10, 31, 0, 0)))
                    .containsExactly(
                            new TrafficRecord("n1", "n2", LocalDateTime.of(2025, 10, 30, 3, 24, 41, 500_000_000),
                                    1.2, 90, 48, "real"),
                            new TrafficRecord("n2", "n1", LocalDateTime.of(2025, 10, 30, 5, 25, 17), 1.3, 95, 45.5,
                                    "replay"));
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM traffic_data_v1_duplicates")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }
}

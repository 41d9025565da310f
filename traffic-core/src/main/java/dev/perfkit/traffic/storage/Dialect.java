package dev.perfkit.traffic.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The SQL differences between the supported databases, chosen from the JDBC URL. The statements are otherwise the
 * same; only column types and timestamp binding differ.
 *
 * <ul>
 *   <li>{@link #SQLITE} ({@code jdbc:sqlite:<file>}): timestamps are stored as fixed-width ISO text
 *       ({@code yyyy-MM-ddTHH:mm:ss.SSSSSS}), which sorts and compares chronologically.</li>
 *   <li>{@link #POSTGRES} ({@code jdbc:postgresql://host:port/db}): native {@code TIMESTAMP} columns; the PostgreSQL
 *       JDBC driver ({@code org.postgresql:postgresql}) must be on the class path (it is not a dependency of this
 *       module).</li>
 * </ul>
 */
public enum Dialect {
    SQLITE("INTEGER PRIMARY KEY", "TEXT", "REAL"), // a rowid alias: AUTOINCREMENT would add a write per insert
    POSTGRES("BIGSERIAL PRIMARY KEY", "TIMESTAMP", "DOUBLE PRECISION");

    private static final DateTimeFormatter SQLITE_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

    private final String idColumn;
    private final String timestampType;
    private final String doubleType;

    Dialect(String idColumn, String timestampType, String doubleType) {
        this.idColumn = idColumn;
        this.timestampType = timestampType;
        this.doubleType = doubleType;
    }

    /**
     * The dialect of a JDBC URL.
     *
     * @throws IllegalArgumentException for a URL that is neither {@code jdbc:sqlite:} nor {@code jdbc:postgresql:}
     */
    public static Dialect fromJdbcUrl(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("unsupported JDBC URL '" + TrafficStore.maskUrl(jdbcUrl)
                + "': expected jdbc:sqlite:<file> or jdbc:postgresql://<host>/<database>");
    }

    /** Migration 1: the traffic table and its indexes. Every statement is idempotent. */
    List<String> schemaV1() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS traffic_data ("
                        + "id " + idColumn + ", "
                        + "run_timestamp " + timestampType + " NOT NULL, "
                        + "timestamp " + timestampType + " NOT NULL, "
                        + "node_a_id TEXT NOT NULL, "
                        + "node_b_id TEXT NOT NULL, "
                        + "distance_km " + doubleType + ", "
                        + "duration_sec " + doubleType + ", "
                        + "speed_kmh " + doubleType + ", "
                        + "api_type TEXT)",
                "CREATE INDEX IF NOT EXISTS idx_timestamp ON traffic_data (timestamp)",
                "CREATE INDEX IF NOT EXISTS idx_nodes ON traffic_data (node_a_id, node_b_id)",
                "CREATE INDEX IF NOT EXISTS idx_run_timestamp ON traffic_data (run_timestamp)");
    }

    String createVersionTable() {
        return "CREATE TABLE IF NOT EXISTS traffic_schema_version (version INTEGER PRIMARY KEY, applied_at "
                + timestampType + " NOT NULL)";
    }

    String insertVersion() {
        return "INSERT INTO traffic_schema_version (version, applied_at) VALUES (?, ?) ON CONFLICT (version) DO NOTHING";
    }

    void bindTimestamp(PreparedStatement statement, int index, LocalDateTime value) throws SQLException {
        if (value == null) {
            statement.setNull(index, this == SQLITE ? Types.VARCHAR : Types.TIMESTAMP);
        } else if (this == SQLITE) {
            statement.setString(index, SQLITE_TIMESTAMP.format(value));
        } else {
            statement.setObject(index, value);
        }
    }

    LocalDateTime readTimestamp(ResultSet rs, int column) throws SQLException {
        if (this == SQLITE) {
            String text = rs.getString(column);
            return text == null ? null : LocalDateTime.parse(text);
        }
        return rs.getObject(column, LocalDateTime.class);
    }
}

package dev.perfkit.traffic.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.perfkit.annotation.Profiled;
import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Stores traffic records in table {@code traffic_data} through a HikariCP pool. Thread-safe: any number of threads
 * may call it; writers are serialised by the database.
 *
 * <p><b>SQLite</b> (the default, {@link #open(Path)}): one file, {@code journal_mode=WAL} so readers never block the
 * writer, {@code synchronous=NORMAL} by default (durable against a killed process; see
 * {@link StoreOptions.Durability} for the choice and for {@code FULL}), {@code busy_timeout} as the bounded retry
 * when another connection or process holds the write lock, after which the call fails with a
 * {@link TrafficStoreException} saying the database is locked and how long it waited.
 *
 * <p><b>PostgreSQL</b>: pass a {@code jdbc:postgresql://host:port/database} URL to
 * {@link #open(String, StoreOptions)} (credentials through {@link StoreOptions.Builder#credentials}) and put the
 * PostgreSQL JDBC driver on the class path. The same statements run there; {@link Dialect} switches column types.
 *
 * <p>Schema: created on first use and versioned in {@code traffic_schema_version} (current version
 * {@value #SCHEMA_VERSION}); opening a database with a newer version fails rather than guessing. Table
 * {@code traffic_data(id, run_timestamp, timestamp, node_a_id, node_b_id, distance_km, duration_sec, speed_kmh,
 * api_type)} with indexes {@code idx_timestamp (timestamp)}, {@code idx_nodes (node_a_id, node_b_id)} and
 * {@code idx_run_timestamp (run_timestamp)}.
 *
 * <p>Every write is one transaction: it stores all its rows or, on any error, none.
 */
public final class TrafficStore implements AutoCloseable {

    /** The schema version this code creates and reads. */
    public static final int SCHEMA_VERSION = 1;

    private static final String COLUMNS =
            "run_timestamp, timestamp, node_a_id, node_b_id, distance_km, duration_sec, speed_kmh, api_type";
    private static final String INSERT = "INSERT INTO traffic_data (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final String jdbcUrl;
    private final Dialect dialect;
    private final StoreOptions options;
    private final HikariDataSource pool;

    private TrafficStore(String jdbcUrl, StoreOptions options) {
        this.jdbcUrl = jdbcUrl;
        this.dialect = Dialect.fromJdbcUrl(jdbcUrl);
        this.options = options;
        HikariConfig config = new HikariConfig();
        config.setPoolName("traffic-store");
        config.setMaximumPoolSize(options.maxPoolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(options.connectionTimeout().toMillis());
        config.setAutoCommit(true);
        if (dialect == Dialect.SQLITE) {
            SQLiteConfig sqlite = new SQLiteConfig();
            sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            sqlite.setSynchronous(options.durability() == StoreOptions.Durability.FULL
                    ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
            sqlite.setBusyTimeout((int) options.busyTimeout().toMillis());
            SQLiteDataSource dataSource = new SQLiteDataSource(sqlite);
            dataSource.setUrl(jdbcUrl);
            config.setDataSource(dataSource);
        } else {
            config.setJdbcUrl(jdbcUrl);
            config.setUsername(options.username());
            config.setPassword(options.password());
        }
        try {
            this.pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new TrafficStoreException("cannot open database " + maskUrl(jdbcUrl) + ": " + e.getMessage(), e);
        }
        try {
            ensureSchema();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed, with its parent directories) an SQLite file with {@link StoreOptions#defaults()}.
     *
     * @throws TrafficStoreException when the file cannot be opened or has a newer schema
     */
    public static TrafficStore open(Path sqliteFile) {
        return open(sqliteFile, StoreOptions.defaults());
    }

    /** Opens an SQLite file with the given options; see {@link #open(Path)}. */
    public static TrafficStore open(Path sqliteFile, StoreOptions options) {
        Path absolute = sqliteFile.toAbsolutePath();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of " + absolute, e);
        }
        return open("jdbc:sqlite:" + absolute, options);
    }

    /**
     * Opens a database by JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql:...}).
     *
     * @throws IllegalArgumentException for an unsupported URL
     * @throws TrafficStoreException    when the database cannot be reached or has a newer schema
     */
    public static TrafficStore open(String jdbcUrl, StoreOptions options) {
        return new TrafficStore(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), Objects.requireNonNull(options, "options"));
    }

    public Dialect dialect() {
        return dialect;
    }

    public StoreOptions options() {
        return options;
    }

    /** The JDBC URL with any password masked. */
    public String url() {
        return maskUrl(jdbcUrl);
    }

    /**
     * Stores the records of one run in one transaction.
     *
     * @param runTimestamp when the run started; stored on every row
     * @param records      the rows (node ids and timestamps required; NaN numbers are stored as NULL)
     * @return rows stored ({@code records.size()})
     * @throws TrafficStoreException when anything fails; then nothing of this call is stored
     */
    @Profiled(value = "traffic.storage.save", target = "100ms")
    public int save(LocalDateTime runTimestamp, List<TrafficRecord> records) {
        Objects.requireNonNull(runTimestamp, "runTimestamp");
        return write("save", List.of(new TrafficRun(runTimestamp, records)));
    }

    /**
     * Stores several runs in one transaction: all of them or, on any error, none.
     *
     * @return rows stored
     * @throws TrafficStoreException when anything fails; then nothing of this call is stored
     */
    @Profiled(value = "traffic.storage.save_batch", target = "100ms")
    public int saveBatch(List<TrafficRun> runs) {
        return write("saveBatch", runs);
    }

    private int write(String operation, List<TrafficRun> runs) {
        int rows = 0;
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (TrafficRun run : runs) {
                    for (TrafficRecord r : run.records()) {
                        dialect.bindTimestamp(insert, 1, run.runTimestamp());
                        dialect.bindTimestamp(insert, 2, r.timestamp());
                        insert.setString(3, r.nodeAId());
                        insert.setString(4, r.nodeBId());
                        bindDouble(insert, 5, r.distanceKm());
                        bindDouble(insert, 6, r.durationSec());
                        bindDouble(insert, 7, r.speedKmh());
                        insert.setString(8, r.apiType());
                        insert.addBatch();
                        rows++;
                    }
                }
                if (rows > 0) {
                    insert.executeBatch();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(operation + " of " + rows + " rows (rolled back, nothing stored)", e);
        }
        return rows;
    }

    /** The most recent run (largest run timestamp) with its records in insertion order, if any. */
    @Timed("traffic.storage.latest")
    public Optional<TrafficRun> latest() {
        try (Connection connection = pool.getConnection();
             Statement max = connection.createStatement();
             ResultSet maxRs = max.executeQuery("SELECT MAX(run_timestamp) FROM traffic_data")) {
            LocalDateTime runTimestamp = maxRs.next() ? dialect.readTimestamp(maxRs, 1) : null;
            if (runTimestamp == null) {
                return Optional.empty();
            }
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM traffic_data WHERE run_timestamp = ? ORDER BY id")) {
                dialect.bindTimestamp(query, 1, runTimestamp);
                return Optional.of(new TrafficRun(runTimestamp, readRecords(query)));
            }
        } catch (SQLException e) {
            throw failure("latest", e);
        }
    }

    /**
     * Records whose timestamp lies in [{@code fromInclusive}, {@code toInclusive}], oldest first.
     *
     * @throws IllegalArgumentException when {@code fromInclusive} is after {@code toInclusive}
     */
    @Timed("traffic.storage.range")
    public List<TrafficRecord> range(LocalDateTime fromInclusive, LocalDateTime toInclusive) {
        if (fromInclusive.isAfter(toInclusive)) {
            throw new IllegalArgumentException("fromInclusive " + fromInclusive + " is after toInclusive " + toInclusive);
        }
        try (Connection connection = pool.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                     + " FROM traffic_data WHERE timestamp >= ? AND timestamp <= ? ORDER BY timestamp, id")) {
            dialect.bindTimestamp(query, 1, fromInclusive);
            dialect.bindTimestamp(query, 2, toInclusive);
            return readRecords(query);
        } catch (SQLException e) {
            throw failure("range", e);
        }
    }

    /**
     * The latest {@code limit} records of one edge, oldest first.
     *
     * @param limit at least 1
     */
    @Timed("traffic.storage.edge_history")
    public List<TrafficRecord> edgeHistory(String nodeAId, String nodeBId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        try (Connection connection = pool.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM traffic_data"
                     + " WHERE node_a_id = ? AND node_b_id = ? ORDER BY timestamp DESC, id DESC LIMIT ?")) {
            query.setString(1, nodeAId);
            query.setString(2, nodeBId);
            query.setInt(3, limit);
            List<TrafficRecord> newestFirst = readRecords(query);
            Collections.reverse(newestFirst);
            return newestFirst;
        } catch (SQLException e) {
            throw failure("edgeHistory", e);
        }
    }

    /**
     * Retention: deletes the records whose timestamp is before {@code cutoff}, in one transaction.
     *
     * @return rows deleted
     */
    @Timed("traffic.storage.cleanup")
    public int deleteOlderThan(LocalDateTime cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        try (Connection connection = pool.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM traffic_data WHERE timestamp < ?")) {
            dialect.bindTimestamp(delete, 1, cutoff);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw failure("deleteOlderThan", e);
        }
    }

    /** Retention relative to {@code now}: keeps the last {@code retention} of data. */
    public int deleteOlderThan(Duration retention, LocalDateTime now) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must be >= 0, got " + retention);
        }
        return deleteOlderThan(now.minus(retention));
    }

    /** Number of stored records. */
    @Timed("traffic.storage.count")
    public long count() {
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM traffic_data")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure("count", e);
        }
    }

    /** The schema version recorded in the database. */
    public int schemaVersion() {
        try (Connection connection = pool.getConnection()) {
            return readSchemaVersion(connection);
        } catch (SQLException e) {
            throw failure("schemaVersion", e);
        }
    }

    /** Closes the pool. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "TrafficStore[" + dialect + ", " + maskUrl(jdbcUrl) + ", " + options + "]";
    }

    /** A JDBC URL with the value of any {@code password=} parameter replaced by {@code ****}. */
    static String maskUrl(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    /**
     * Creates or upgrades the schema. Each migration statement is idempotent ({@code IF NOT EXISTS}, {@code ON
     * CONFLICT DO NOTHING}) and runs in auto-commit mode, so two processes opening a new file at once both succeed.
     */
    private void ensureSchema() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(dialect.createVersionTable());
            int current = readSchemaVersion(connection);
            if (current > SCHEMA_VERSION) {
                throw new TrafficStoreException("database " + maskUrl(jdbcUrl) + " has schema version " + current
                        + ", newer than the supported version " + SCHEMA_VERSION);
            }
            if (current < 1) {
                for (String sql : dialect.schemaV1()) {
                    statement.execute(sql);
                }
                try (PreparedStatement insert = connection.prepareStatement(dialect.insertVersion())) {
                    insert.setInt(1, 1);
                    dialect.bindTimestamp(insert, 2, LocalDateTime.now(ZoneOffset.UTC));
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw failure("schema creation", e);
        }
    }

    private static int readSchemaVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT MAX(version) FROM traffic_schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private List<TrafficRecord> readRecords(PreparedStatement query) throws SQLException {
        List<TrafficRecord> records = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                records.add(new TrafficRecord(rs.getString(3), rs.getString(4), dialect.readTimestamp(rs, 2),
                        readDouble(rs, 5), readDouble(rs, 6), readDouble(rs, 7), rs.getString(8)));
            }
        }
        return records;
    }

    private static void bindDouble(PreparedStatement statement, int index, double value) throws SQLException {
        if (Double.isNaN(value)) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    private static double readDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : value;
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private TrafficStoreException failure(String operation, SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return new TrafficStoreException(operation + " failed: no pooled connection became free within "
                    + options.connectionTimeout().toMillis() + " ms (pool size " + options.maxPoolSize() + ")", e);
        }
        int primaryCode = e.getErrorCode() & 0xff;
        if (dialect == Dialect.SQLITE && (primaryCode == 5 || primaryCode == 6)) { // SQLITE_BUSY, SQLITE_LOCKED
            return new TrafficStoreException(operation + " failed: database " + maskUrl(jdbcUrl)
                    + " is locked by another writer; gave up after busy_timeout=" + options.busyTimeout().toMillis()
                    + " ms of retries (" + e.getMessage() + ")", e);
        }
        return new TrafficStoreException(operation + " failed on " + maskUrl(jdbcUrl) + ": " + e.getMessage(), e);
    }
}

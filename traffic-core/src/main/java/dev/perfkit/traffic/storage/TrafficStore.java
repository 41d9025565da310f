package dev.perfkit.traffic.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.perfkit.annotation.Profiled;
import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.metrics.TrafficMetrics;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Stores traffic records through a HikariCP pool. Thread-safe: any number of threads may call it; writers are
 * serialised by the database.
 *
 * <p><b>SQLite</b> (the default, {@link #open(Path)}): one file, {@code journal_mode=WAL} so readers never block the
 * writer, {@code synchronous=NORMAL} by default (durable against a killed process; see
 * {@link StoreOptions.Durability} for the choice and for {@code FULL}), {@code busy_timeout} as the bounded retry
 * when another connection or process holds the write lock, after which the call fails with a
 * {@link TrafficStoreException} saying the database is locked and how long it waited.
 *
 * <p><b>PostgreSQL</b>: pass a {@code jdbc:postgresql://host:port/database} URL to
 * {@link #open(String, StoreOptions)} (credentials in the URL or through {@link StoreOptions.Builder#credentials}).
 * The driver ships with this module. The same statements run there; {@link Dialect} switches column types.
 *
 * <p>Time: every timestamp given to or returned by this class is a UTC date-time (the instant, as a
 * {@link LocalDateTime} at offset zero); the database stores instants ({@code INTEGER} microseconds since the epoch
 * in SQLite, {@code TIMESTAMPTZ} in PostgreSQL).
 *
 * <p>Schema (version {@value #SCHEMA_VERSION}, recorded in {@code traffic_schema_version}; created on first use, an
 * older database is migrated in one transaction on open; opening a newer version fails rather than guessing):
 * {@code traffic_edges(edge_id, node_a_id, node_b_id)} with one integer id per node pair;
 * {@code traffic_observations(timestamp, edge_id, run_timestamp, distance_km, duration_sec, speed_kmh, api_type)}
 * with primary key {@code (timestamp, edge_id)} (so the same observation stored twice is skipped as a duplicate,
 * see {@link SaveResult}), an edge index for {@link #edgeHistory} ({@code idx_observations_edge (edge_id, timestamp)}
 * in PostgreSQL, {@code idx_observations_hour_edge (timestamp / 3600000000, edge_id, timestamp)} in SQLite, where a
 * save then writes a few index pages instead of one per edge; see {@link Dialect#schema()}) and
 * {@code idx_observations_run (run_timestamp)} for {@link #latest}; and the view {@code traffic_data(timestamp,
 * node_a_id, node_b_id, distance_km, duration_sec, speed_kmh, api_type, run_timestamp, edge_id)}, one row per stored
 * record, for ad-hoc queries with {@code sqlite3} or {@code psql}.
 *
 * <p>Every write is one transaction: it stores all its new rows or, on any error, none.
 */
public final class TrafficStore implements AutoCloseable {

    /** The schema version this code creates and reads. */
    public static final int SCHEMA_VERSION = 3;

    private static final String SELECT_RECORDS = "SELECT e.node_a_id, e.node_b_id, o.timestamp, o.distance_km, "
            + "o.duration_sec, o.speed_kmh, o.api_type FROM traffic_observations o "
            + "JOIN traffic_edges e ON e.edge_id = o.edge_id";
    private static final String INSERT = "INSERT INTO traffic_observations (timestamp, edge_id, run_timestamp, "
            + "distance_km, duration_sec, speed_kmh, api_type) VALUES (?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (timestamp, edge_id) DO NOTHING";
    private static final String INSERT_EDGE = "INSERT INTO traffic_edges (node_a_id, node_b_id) VALUES (?, ?) "
            + "ON CONFLICT (node_a_id, node_b_id) DO NOTHING";
    private static final String SELECT_EDGE = "SELECT edge_id FROM traffic_edges WHERE node_a_id = ? AND node_b_id = ?";

    /** SQLite: the oldest and the newest stored hour (each an O(log n) seek on the primary key), NULL when empty. */
    private static final String STORED_HOURS = "SELECT (SELECT MIN(timestamp) FROM traffic_observations) / "
            + Dialect.SQLITE_MICROS_PER_HOUR + ", (SELECT MAX(timestamp) FROM traffic_observations) / "
            + Dialect.SQLITE_MICROS_PER_HOUR;
    /** SQLite: an edge's records in hours ?2 to ?1, newest first, at most ?4 of them; one index seek per hour. */
    private static final String EDGE_HOURS_NEWEST_FIRST = "WITH RECURSIVE hours(hour) AS (SELECT ?1 UNION ALL "
            + "SELECT hour - 1 FROM hours WHERE hour > ?2) "
            + "SELECT e.node_a_id, e.node_b_id, o.timestamp, o.distance_km, o.duration_sec, o.speed_kmh, o.api_type "
            + "FROM hours CROSS JOIN traffic_observations o INDEXED BY idx_observations_hour_edge "
            + "JOIN traffic_edges e ON e.edge_id = o.edge_id "
            + "WHERE o." + Dialect.SQLITE_HOUR_OF_TIMESTAMP + " = hours.hour AND o.edge_id = ?3 "
            + "ORDER BY o.timestamp DESC LIMIT ?4";
    private static final long MAX_HOURS_PER_QUERY = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(TrafficStore.class);
    /**
     * SQLite WAL pages after which a committing connection checkpoints by itself (SQLite's default is 1,000): the
     * backstop of the background checkpoint ({@link SqliteCheckpointer}), reached only if it falls behind.
     */
    static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;

    private final String jdbcUrl;
    private final Dialect dialect;
    private final StoreOptions options;
    private final HikariDataSource pool;
    /** SQLite: checkpoints the WAL off the writers' threads; null for PostgreSQL. */
    private final SqliteCheckpointer checkpointer;
    /** Committed edge ids by node pair; ids never change once committed. */
    private final ConcurrentHashMap<EdgeKey, Integer> edgeIds = new ConcurrentHashMap<>();

    private record EdgeKey(String nodeAId, String nodeBId) {
    }

    private TrafficStore(String jdbcUrl, StoreOptions options) {
        this.jdbcUrl = jdbcUrl;
        this.dialect = Dialect.fromJdbcUrl(jdbcUrl);
        this.options = options;
        HikariConfig config = new HikariConfig();
        SQLiteDataSource dataSource = null;
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
            // A checkpoint writes the WAL's pages back to the file and fsyncs it: the most expensive thing a save
            // could do, so SqliteCheckpointer does it on its own thread; the connections' own threshold of 10,000
            // WAL pages (about 40 MiB) is only the backstop. The WAL file is truncated back to 64 MiB after a
            // checkpoint; a 32 MiB page cache per connection keeps the indexes of a few hundred thousand rows in
            // memory. Durability is unchanged: a commit is in the WAL file when commit() returns. (BENCHMARKS.md,
            // StorageBenchmark.)
            sqlite.setCacheSize(-32 * 1024);
            sqlite.setJournalSizeLimit(64 * 1024 * 1024);
            config.setConnectionInitSql("PRAGMA wal_autocheckpoint=" + WAL_AUTOCHECKPOINT_PAGES);
            dataSource = new SQLiteDataSource(sqlite);
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
        this.checkpointer = dataSource == null ? null : new SqliteCheckpointer(dataSource, maskUrl(jdbcUrl));
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
     * @param runTimestamp when the run started (UTC); stored on every row
     * @param records      the rows (node ids and timestamps required; NaN numbers are stored as NULL)
     * @return rows stored: {@code records.size()} less the duplicates ({@link #insert} tells which)
     * @throws TrafficStoreException when anything fails; then nothing of this call is stored
     */
    @Profiled(value = TrafficMetrics.STORAGE_SAVE, target = "100ms")
    public int save(LocalDateTime runTimestamp, List<TrafficRecord> records) {
        Objects.requireNonNull(runTimestamp, "runTimestamp");
        return write("save", List.of(new TrafficRun(runTimestamp, records))).rowsStored();
    }

    /**
     * Stores the records of one run in one transaction and says which were skipped as duplicates: a record whose
     * (edge, timestamp) is already stored, or repeats an earlier record of this call, is not inserted.
     *
     * @param runTimestamp when the run started (UTC); stored on every row
     * @throws TrafficStoreException when anything fails; then nothing of this call is stored
     */
    @Profiled(value = TrafficMetrics.STORAGE_SAVE, target = "100ms")
    public SaveResult insert(LocalDateTime runTimestamp, List<TrafficRecord> records) {
        Objects.requireNonNull(runTimestamp, "runTimestamp");
        return write("save", List.of(new TrafficRun(runTimestamp, records)));
    }

    /**
     * Stores several runs in one transaction: all of them or, on any error, none. Duplicates are skipped as in
     * {@link #insert}.
     *
     * @return rows stored
     * @throws TrafficStoreException when anything fails; then nothing of this call is stored
     */
    @Profiled(value = TrafficMetrics.STORAGE_SAVE_BATCH, target = "100ms")
    public int saveBatch(List<TrafficRun> runs) {
        return write("saveBatch", runs).rowsStored();
    }

    private SaveResult write(String operation, List<TrafficRun> runs) {
        int rows = 0;
        for (TrafficRun run : runs) {
            rows += run.records().size();
        }
        List<Integer> duplicates = new ArrayList<>();
        Map<EdgeKey, Integer> newEdges = new HashMap<>();
        int stored = 0;
        try (Connection connection = pool.getConnection()) {
            begin(connection);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (TrafficRun run : runs) {
                    for (TrafficRecord r : run.records()) {
                        dialect.bindTimestamp(insert, 1, r.timestamp());
                        insert.setInt(2, edgeId(connection, r.nodeAId(), r.nodeBId(), newEdges));
                        dialect.bindTimestamp(insert, 3, run.runTimestamp());
                        bindDouble(insert, 4, r.distanceKm());
                        bindDouble(insert, 5, r.durationSec());
                        bindDouble(insert, 6, r.speedKmh());
                        insert.setString(7, r.apiType());
                        insert.addBatch();
                    }
                }
                if (rows > 0) {
                    int[] counts = insert.executeBatch();
                    for (int i = 0; i < counts.length; i++) {
                        if (counts[i] == 0) {
                            duplicates.add(i);
                        } else {
                            stored++;
                        }
                    }
                }
                commit(connection);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                endTransaction(connection);
            }
        } catch (SQLException e) {
            throw failure(operation + " of " + rows + " rows (rolled back, nothing stored)", e);
        }
        edgeIds.putAll(newEdges); // only ids that were committed
        return new SaveResult(stored, duplicates);
    }

    /** The id of a node pair: cached, or looked up, or inserted in the caller's transaction. */
    private int edgeId(Connection connection, String nodeAId, String nodeBId, Map<EdgeKey, Integer> newEdges)
            throws SQLException {
        EdgeKey key = new EdgeKey(nodeAId, nodeBId);
        Integer known = nodeAId == null || nodeBId == null ? null : edgeIds.get(key);
        if (known == null) {
            known = newEdges.get(key);
        }
        if (known != null) {
            return known;
        }
        Integer found = findEdgeId(connection, nodeAId, nodeBId);
        if (found == null) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_EDGE)) {
                insert.setString(1, nodeAId); // a null id fails here, on the table's NOT NULL constraint
                insert.setString(2, nodeBId);
                insert.executeUpdate();
            }
            found = findEdgeId(connection, nodeAId, nodeBId);
            if (found == null) {
                throw new SQLException("edge " + nodeAId + " -> " + nodeBId + " was inserted but cannot be read back");
            }
        }
        newEdges.put(key, found);
        return found;
    }

    private static Integer findEdgeId(Connection connection, String nodeAId, String nodeBId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_EDGE)) {
            select.setString(1, nodeAId);
            select.setString(2, nodeBId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** The most recent run (largest run timestamp) with its records, oldest first (then by edge id), if any. */
    @Timed(TrafficMetrics.STORAGE_LATEST)
    public Optional<TrafficRun> latest() {
        try (Connection connection = pool.getConnection();
             Statement max = connection.createStatement();
             ResultSet maxRs = max.executeQuery("SELECT MAX(run_timestamp) FROM traffic_observations")) {
            LocalDateTime runTimestamp = maxRs.next() ? dialect.readTimestamp(maxRs, 1) : null;
            if (runTimestamp == null) {
                return Optional.empty();
            }
            try (PreparedStatement query = connection.prepareStatement(
                    SELECT_RECORDS + " WHERE o.run_timestamp = ? ORDER BY o.timestamp, o.edge_id")) {
                dialect.bindTimestamp(query, 1, runTimestamp);
                return Optional.of(new TrafficRun(runTimestamp, readRecords(query)));
            }
        } catch (SQLException e) {
            throw failure("latest", e);
        }
    }

    /**
     * Records whose timestamp (UTC) lies in [{@code fromInclusive}, {@code toInclusive}], oldest first, then by edge
     * id.
     *
     * @throws IllegalArgumentException when {@code fromInclusive} is after {@code toInclusive}
     */
    @Timed(TrafficMetrics.STORAGE_RANGE)
    public List<TrafficRecord> range(LocalDateTime fromInclusive, LocalDateTime toInclusive) {
        if (fromInclusive.isAfter(toInclusive)) {
            throw new IllegalArgumentException("fromInclusive " + fromInclusive + " is after toInclusive " + toInclusive);
        }
        try (Connection connection = pool.getConnection();
             PreparedStatement query = connection.prepareStatement(SELECT_RECORDS
                     + " WHERE o.timestamp >= ? AND o.timestamp <= ? ORDER BY o.timestamp, o.edge_id")) {
            dialect.planWithValues(query);
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
    @Timed(TrafficMetrics.STORAGE_EDGE_HISTORY)
    public List<TrafficRecord> edgeHistory(String nodeAId, String nodeBId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        try (Connection connection = pool.getConnection()) {
            Integer edge = nodeAId == null || nodeBId == null ? null : edgeIds.get(new EdgeKey(nodeAId, nodeBId));
            if (edge == null) {
                edge = findEdgeId(connection, nodeAId, nodeBId);
            }
            if (edge == null) {
                return new ArrayList<>();
            }
            List<TrafficRecord> newestFirst = dialect == Dialect.SQLITE
                    ? newestOfEdgeByHour(connection, edge, limit) : newestOfEdge(connection, edge, limit);
            Collections.reverse(newestFirst);
            return newestFirst;
        } catch (SQLException e) {
            throw failure("edgeHistory", e);
        }
    }

    private List<TrafficRecord> newestOfEdge(Connection connection, int edge, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(SELECT_RECORDS
                + " WHERE o.edge_id = ? ORDER BY o.timestamp DESC LIMIT ?")) {
            query.setInt(1, edge);
            query.setInt(2, limit);
            return readRecords(query);
        }
    }

    /**
     * SQLite: the newest {@code limit} records of an edge through the hour-first edge index, one span of hours per
     * query from the newest stored hour back to the oldest: each hour is one index seek to the edge's entries of
     * that hour. The first span is one hour; each next span is sized from the records per hour seen so far to
     * return what is still wanted (at least twice the hours read when they held nothing, at most
     * {@value #MAX_HOURS_PER_QUERY}), so a history reads little more than it returns in two or three queries, and a
     * sparse edge costs a few queries per year of data.
     */
    private List<TrafficRecord> newestOfEdgeByHour(Connection connection, int edge, int limit) throws SQLException {
        List<TrafficRecord> newestFirst = new ArrayList<>();
        long oldestHour;
        long newestHour;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(STORED_HOURS)) {
            rs.next();
            newestHour = rs.getLong(2);
            if (rs.wasNull()) {
                return newestFirst;
            }
            oldestHour = rs.getLong(1);
        }
        try (PreparedStatement query = connection.prepareStatement(EDGE_HOURS_NEWEST_FIRST)) {
            long hour = newestHour;
            long span = 1;
            while (hour >= oldestHour && newestFirst.size() < limit) {
                long from = Math.max(oldestHour, hour - span + 1);
                query.setLong(1, hour);
                query.setLong(2, from);
                query.setInt(3, edge);
                query.setInt(4, limit - newestFirst.size());
                newestFirst.addAll(readRecords(query));
                hour = from - 1;
                long hoursRead = newestHour - hour;
                long wanted = limit - newestFirst.size();
                span = newestFirst.isEmpty() ? 2 * hoursRead
                        : wanted * hoursRead / newestFirst.size() + 1; // at the rate seen so far, and one hour more
                span = Math.max(1, Math.min(span, MAX_HOURS_PER_QUERY));
            }
        }
        return newestFirst;
    }

    /**
     * Retention: deletes the records whose timestamp (UTC) is before {@code cutoff}, in one transaction. Edges stay.
     *
     * @return rows deleted
     * @throws TrafficStoreException when the delete fails (then nothing is deleted)
     */
    @Timed(TrafficMetrics.STORAGE_CLEANUP)
    public int deleteOlderThan(LocalDateTime cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        try (Connection connection = pool.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM traffic_observations WHERE timestamp < ?")) {
            dialect.planWithValues(delete);
            dialect.bindTimestamp(delete, 1, cutoff);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw failure("deleteOlderThan", e);
        }
    }

    /**
     * Retention relative to {@code now} (UTC): keeps the last {@code retention} of data.
     *
     * @throws IllegalArgumentException when {@code retention} is negative
     */
    public int deleteOlderThan(Duration retention, LocalDateTime now) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must be >= 0, got " + retention);
        }
        return deleteOlderThan(now.minus(retention));
    }

    /** Number of stored records. */
    @Timed(TrafficMetrics.STORAGE_COUNT)
    public long count() {
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM traffic_observations")) {
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

    /** A pooled connection, configured as the store's own (for tests in this package); the caller closes it. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Stops the background checkpoint (SQLite) and closes the pool. Idempotent. */
    @Override
    public void close() {
        if (checkpointer != null) {
            checkpointer.close();
        }
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
     * Creates or upgrades the schema in one transaction that holds the database's write lock (SQLite
     * {@code BEGIN IMMEDIATE}, a PostgreSQL table lock), so two processes opening the same database at once create
     * or migrate it exactly once. Version 1 is migrated: its table is renamed, its rows moved with the same instants,
     * and the renamed table dropped (see {@link Dialect#migrateV1()}). Version 2 differs only in SQLite's edge index,
     * which is rebuilt (see {@link Dialect#migrateV2ToV3()}).
     */
    private void ensureSchema() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(dialect.createVersionTable());
            if (readSchemaVersion(connection) == SCHEMA_VERSION) {
                return;
            }
            begin(connection);
            try {
                if (dialect == Dialect.POSTGRES) {
                    statement.execute("LOCK TABLE traffic_schema_version IN EXCLUSIVE MODE");
                }
                int current = readSchemaVersion(connection);
                if (current > SCHEMA_VERSION) {
                    throw new TrafficStoreException("database " + maskUrl(jdbcUrl) + " has schema version " + current
                            + ", newer than the supported version " + SCHEMA_VERSION);
                }
                if (current < SCHEMA_VERSION) {
                    if (current == 2) {
                        for (String sql : dialect.migrateV2ToV3()) {
                            statement.execute(sql);
                        }
                    } else {
                        if (current == 1) {
                            statement.execute("ALTER TABLE traffic_data RENAME TO traffic_data_v1");
                        }
                        for (String sql : dialect.schema()) {
                            statement.execute(sql);
                        }
                        if (current == 1) {
                            migrateV1(statement);
                        }
                    }
                    try (PreparedStatement insert = connection.prepareStatement(dialect.insertVersion())) {
                        insert.setInt(1, SCHEMA_VERSION);
                        dialect.bindTimestamp(insert, 2, LocalDateTime.now(ZoneOffset.UTC));
                        insert.executeUpdate();
                    }
                }
                commit(connection);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                endTransaction(connection);
            }
        } catch (SQLException e) {
            throw failure("schema creation", e);
        }
    }

    private void migrateV1(Statement statement) throws SQLException {
        long v1Rows;
        try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM traffic_data_v1")) {
            rs.next();
            v1Rows = rs.getLong(1);
        }
        for (String sql : dialect.migrateV1()) {
            statement.execute(sql);
        }
        long moved;
        long duplicates;
        try (ResultSet rs = statement.executeQuery("SELECT (SELECT COUNT(*) FROM traffic_observations), "
                + "(SELECT COUNT(*) FROM traffic_data_v1_duplicates)")) {
            rs.next();
            moved = rs.getLong(1);
            duplicates = rs.getLong(2);
        }
        if (moved + duplicates != v1Rows) {
            throw new TrafficStoreException("migration of " + maskUrl(jdbcUrl) + " to schema " + SCHEMA_VERSION
                    + " moved " + moved + " + " + duplicates + " duplicate rows of " + v1Rows + "; rolled back");
        }
        LOG.info("migrated {} to schema {}: {} rows moved, {} repeated (edge, timestamp) rows kept in "
                + "traffic_data_v1_duplicates", maskUrl(jdbcUrl), SCHEMA_VERSION, moved, duplicates);
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
                records.add(new TrafficRecord(rs.getString(1), rs.getString(2), dialect.readTimestamp(rs, 3),
                        readDouble(rs, 4), readDouble(rs, 5), readDouble(rs, 6), rs.getString(7)));
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

    /**
     * Starts a write transaction. SQLite: {@code BEGIN IMMEDIATE} takes the write lock at once (waiting up to
     * {@code busy_timeout}), because a write reads edge ids before it inserts, and a deferred transaction whose
     * snapshot went stale meanwhile would fail with {@code SQLITE_BUSY} without waiting. PostgreSQL: auto-commit off.
     */
    private void begin(Connection connection) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
            }
        } else {
            connection.setAutoCommit(false);
        }
    }

    private void commit(Connection connection) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("COMMIT");
            }
        } else {
            connection.commit();
        }
    }

    private void endTransaction(Connection connection) throws SQLException {
        if (dialect != Dialect.SQLITE) {
            connection.setAutoCommit(true);
        }
    }

    private void rollbackQuietly(Connection connection, Exception cause) {
        try {
            if (dialect == Dialect.SQLITE) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK");
                }
            } else {
                connection.rollback();
            }
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
        String cause = dialect == Dialect.SQLITE ? SqliteFailures.cause(e, jdbcUrl) : "";
        return new TrafficStoreException(operation + " failed on " + maskUrl(jdbcUrl) + ": " + e.getMessage() + cause,
                e);
    }
}

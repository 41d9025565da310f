package dev.perfkit.examples.cli;

import dev.perfkit.traffic.storage.Dialect;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * One writer per data directory (and per PostgreSQL schema): {@code run} and {@code serve} hold this lock for their
 * whole life, so that two processes never append to one metrics log, rewrite one profile or continue the replay from
 * the same stored run. Not thread-safe; acquire and close it from one thread.
 *
 * <p>Design note. The data directory is locked with {@link FileChannel#tryLock()} on {@value #LOCK_FILE} (an
 * {@code fcntl} lock on Linux, released by the kernel when the process dies, even by SIGKILL), and the holder writes
 * its pid into the file so that the next writer can name it. The file is never deleted: deleting it would let a
 * third process lock a new file while the second still waits on the old one. With {@code --db jdbc:postgresql:...}
 * the guarantee must hold across machines too, so the same is done in the database with a session-level advisory
 * lock ({@code pg_try_advisory_lock}) keyed on the schema and table, held on a connection of its own (the pool's
 * connections come and go); the holder sets its {@code application_name} to its pid. Waiting polls every
 * {@value #POLL_MILLIS} ms until the deadline.
 */
final class WriterLock implements AutoCloseable {

    static final String LOCK_FILE = "writer.lock";
    static final long POLL_MILLIS = 100;
    /** What the advisory lock is keyed on, with the schema in front. */
    private static final String LOCKED_TABLE = ".traffic_observations";

    private final FileChannel channel;
    private final FileLock fileLock;
    private final Connection advisory;

    private WriterLock(FileChannel channel, FileLock fileLock, Connection advisory) {
        this.channel = channel;
        this.fileLock = fileLock;
        this.advisory = advisory;
    }

    /** Raised when the lock is held by another process and there is no (more) time to wait. */
    static final class HeldException extends RuntimeException {
        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Locks {@code dataDir} and, when {@code jdbcUrl} is a PostgreSQL URL, its schema.
     *
     * @param wait how long to wait for another holder to finish; null or zero: do not wait
     * @throws HeldException naming the holder's pid when another process holds the lock past {@code wait}
     * @throws IOException   when the lock file cannot be created or written
     */
    static WriterLock acquire(Path dataDir, String jdbcUrl, Duration wait) throws IOException, SQLException {
        long deadline = System.nanoTime() + (wait == null ? 0 : Math.min(wait.toNanos(), Long.MAX_VALUE / 4));
        Path file = dataDir.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock fileLock;
        boolean announced = false;
        try {
            while ((fileLock = channel.tryLock()) == null) {
                String holder = "pid " + holderPid(file);
                if (System.nanoTime() - deadline >= 0) {
                    throw new HeldException("data directory " + dataDir + " is in use by another traffic-perf run or "
                            + "serve (" + holder + ", lock file " + file + "); stop it, or pass --wait to wait for it");
                }
                if (!announced) {
                    System.err.println("traffic-perf: waiting for " + holder + " to release " + file);
                    announced = true;
                }
                pause();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                    0);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Connection advisory = null;
        try {
            if (jdbcUrl != null && Dialect.fromJdbcUrl(jdbcUrl) == Dialect.POSTGRES) {
                advisory = lockSchema(jdbcUrl, deadline);
            }
        } catch (SQLException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new WriterLock(channel, fileLock, advisory);
    }

    private static Connection lockSchema(String jdbcUrl, long deadline) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl);
        try {
            try (PreparedStatement name = connection.prepareStatement("SELECT set_config('application_name', ?, false)")) {
                name.setString(1, "traffic-perf pid " + ProcessHandle.current().pid());
                name.execute();
            }
            String schema;
            long key;
            try (PreparedStatement keyQuery = connection.prepareStatement(
                    "SELECT s, hashtextextended('traffic-perf:' || s || ?, 0) FROM "
                            + "(SELECT coalesce(current_schema(), 'public') AS s) q")) {
                keyQuery.setString(1, LOCKED_TABLE);
                try (ResultSet row = keyQuery.executeQuery()) {
                    row.next();
                    schema = row.getString(1);
                    key = row.getLong(2);
                }
            }
            boolean announced = false;
            while (!tryAdvisoryLock(connection, key)) {
                String holder = advisoryHolder(connection, key);
                if (System.nanoTime() - deadline >= 0) {
                    throw new HeldException("database schema " + schema + " (of --db) is in use by another traffic-perf run or serve (" + holder
                            + "); stop it, or pass --wait to wait for it");
                }
                if (!announced) {
                    System.err.println("traffic-perf: waiting for " + holder + " to release schema " + schema);
                    announced = true;
                }
                pause();
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static boolean tryAdvisoryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, key);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    /** The holder as "traffic-perf pid N, PostgreSQL backend M", from pg_locks (a bigint key is classid/objid). */
    private static String advisoryHolder(Connection connection, long key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT a.application_name, l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                        + "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                        + "AND l.classid::bigint = ? AND l.objid::bigint = ?")) {
            query.setLong(1, key >>> 32);
            query.setLong(2, key & 0xffff_ffffL);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return "a holder that has just released it";
                }
                String application = row.getString(1);
                return (application == null || application.isBlank() ? "an unnamed client" : application)
                        + ", PostgreSQL backend " + row.getInt(2);
            }
        }
    }

    /** The pid written in the lock file, or "unknown" while the holder has not written it yet. */
    private static String holderPid(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.matches("[0-9]{1,19}") ? text : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS); // polling a lock held by another process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeldException("interrupted while waiting for the writer lock");
        }
    }

    /** Releases the locks (the lock file stays). */
    @Override
    public void close() throws IOException {
        try {
            if (advisory != null) {
                advisory.close(); // ends the session: PostgreSQL releases its advisory locks
            }
        } catch (SQLException e) {
            System.err.println("traffic-perf: closing the lock connection: " + e.getMessage());
        } finally {
            if (fileLock.isValid()) {
                fileLock.release();
            }
            channel.close();
        }
    }
}

package dev.perfkit.traffic.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * Checkpoints an SQLite database's WAL on a thread of its own, so that a committing writer does not. SQLite's
 * automatic checkpoint runs inside the {@code COMMIT} that crosses its threshold: that one save then writes every
 * page the WAL holds back into the database file and fsyncs it, hundreds of milliseconds on a slow disk. Here a
 * daemon thread runs {@code PRAGMA wal_checkpoint(PASSIVE)} every {@link #PERIOD} on its own connection: passive
 * checkpoints never wait for or block readers and writers, and copy what they can. The store's connections keep a
 * large automatic-checkpoint threshold as the backstop, should this thread fall behind.
 *
 * <p>Durability is unchanged: a commit is in the WAL when it returns; a checkpoint only moves committed pages into
 * the database file. A failing checkpoint (a full disk, say) is logged, at most once a minute, and retried at the
 * next period; the writers report their own failures. Thread-safe; {@link #close()} stops the thread and closes its
 * connection.
 */
final class SqliteCheckpointer implements AutoCloseable {

    /** Time between two passive checkpoints. */
    static final Duration PERIOD = Duration.ofMillis(200);

    private static final Logger LOG = LoggerFactory.getLogger(SqliteCheckpointer.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final SQLiteDataSource dataSource;
    private final String maskedUrl;
    private final ScheduledExecutorService thread;
    /** Owned by the checkpoint thread; opened on first use, reopened after a failure. */
    private Connection connection;
    private long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    SqliteCheckpointer(SQLiteDataSource dataSource, String maskedUrl) {
        this.dataSource = dataSource;
        this.maskedUrl = maskedUrl;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "traffic-store-checkpoint");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::checkpoint, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try {
            if (connection == null) {
                connection = dataSource.getConnection();
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next(); // (busy, WAL frames, frames checkpointed): nothing to act on, the next period copies more
            }
        } catch (Throwable e) {
            // Any failure, an Error too (out of memory in a full heap): thrown out of the task, it would cancel every
            // later checkpoint. This one is skipped; the connections' automatic checkpoint remains the backstop.
            try {
                closeConnection();
                long now = System.nanoTime();
                if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
                    lastLogNanos = now;
                    LOG.warn("background checkpoint of {} failed (retried every {} ms): {}", maskedUrl,
                            PERIOD.toMillis(), String.valueOf(e));
                }
            } catch (Throwable ignored) {
                // still out of memory: the next period tries again
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being dropped either way
            }
            connection = null;
        }
    }

    /** Stops the thread (waiting for a running checkpoint to finish) and closes its connection. Idempotent. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // the thread has stopped (or was abandoned after 10 s): its connection is no longer in use
        closeConnection();
    }
}

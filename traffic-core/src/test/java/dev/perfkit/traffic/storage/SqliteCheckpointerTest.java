package dev.perfkit.traffic.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** {@link SqliteCheckpointer} on a real SQLite file in WAL mode. */
class SqliteCheckpointerTest {

    /** Fails its first {@code failures} connections with an out-of-memory error, then connects for real. */
    private static final class FailingFirst extends SQLiteDataSource {
        private final AtomicInteger calls = new AtomicInteger();
        private final int failures;

        FailingFirst(SQLiteConfig config, String url, int failures) {
            super(config);
            setUrl(url);
            this.failures = failures;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (calls.incrementAndGet() <= failures) {
                throw new OutOfMemoryError("Java heap space (test)");
            }
            return super.getConnection();
        }
    }

    @Test
    @SuppressWarnings("try") // the checkpointer works on its own thread until closed
    void anErrorInOneRun_doesNotStopLaterCheckpoints(@TempDir Path dir) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("wal.db");
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0"); // only the checkpointer moves pages
        SQLiteDataSource plain = new SQLiteDataSource(config);
        plain.setUrl(url);
        try (Connection writer = plain.getConnection(); Statement statement = writer.createStatement()) {
            statement.execute("CREATE TABLE t (x INTEGER)");
            for (int i = 0; i < 200; i++) {
                statement.execute("INSERT INTO t VALUES (" + i + ")");
            }
            FailingFirst failing = new FailingFirst(config, url, 2);
            try (SqliteCheckpointer checkpointer = new SqliteCheckpointer(failing, url)) {
                long deadline = System.nanoTime() + 20L * SqliteCheckpointer.PERIOD.toNanos();
                while (failing.calls.get() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(SqliteCheckpointer.PERIOD.toMillis() / 4);
                }
                assertThat(failing.calls.get()).as("connections tried after two runs threw an Error").isGreaterThan(2);
                Thread.sleep(3 * SqliteCheckpointer.PERIOD.toMillis());
            }
            // Copied while the writer is open (closing the last connection would checkpoint by itself).
            Files.copy(dir.resolve("wal.db"), dir.resolve("copy.db"));
        }
        // A checkpoint ran after the errors: the database file alone, copied without its WAL, holds every row.
        Path copy = dir.resolve("copy.db");
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + copy);
             Statement statement = reader.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(200);
        }
    }
}

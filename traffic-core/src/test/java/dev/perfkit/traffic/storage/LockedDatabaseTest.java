package dev.perfkit.traffic.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.pipeline.TrafficPipeline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another writer holds the database's write lock: a save retries for its bounded busy timeout and then fails with a
 * clear error, stores nothing, and a later retry stores everything; a lock released within the timeout costs only
 * the wait. The other writer is a separate process (a child JVM with plain sqlite-jdbc), as in production.
 */
class LockedDatabaseTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2025, 10, 30, 7, 0);

    @TempDir
    Path dir;

    @Test
    void save_whileAnotherProcessHoldsTheLock_failsClearlyAfterBusyTimeout_storesNothing_thenRetryStoresAll()
            throws Exception {
        Path file = dir.resolve("traffic.db");
        StoreOptions options = StoreOptions.builder().busyTimeout(Duration.ofMillis(300)).build();
        List<TrafficRun> batch = List.of(new TrafficRun(T0.plusMinutes(5), TrafficStoreTest.records(T0.plusMinutes(5), 7,
                "b1-")), new TrafficRun(T0.plusMinutes(10), TrafficStoreTest.records(T0.plusMinutes(10), 9, "b2-")));
        try (TrafficStore store = TrafficStore.open(file, options)) {
            store.save(T0, TrafficStoreTest.records(T0, 5, "before-"));

            try (Locker locker = Locker.start(file, "hold")) {
                assertThatThrownBy(() -> store.save(T0.plusMinutes(1), TrafficStoreTest.records(T0.plusMinutes(1), 10,
                        "x-")))
                        .isInstanceOf(TrafficStoreException.class)
                        .hasMessageContaining("save of 10 rows (rolled back, nothing stored)")
                        .hasMessageContaining("locked by another writer")
                        .hasMessageContaining("busy_timeout=300 ms");
                assertThatThrownBy(() -> store.saveBatch(batch))
                        .isInstanceOf(TrafficStoreException.class)
                        .hasMessageContaining("saveBatch of 16 rows (rolled back, nothing stored)")
                        .hasMessageContaining("locked");
                assertThat(store.count()).as("readers still read while the writer waits (WAL)").isEqualTo(5);
                locker.release();
            }

            assertThat(store.save(T0.plusMinutes(1), TrafficStoreTest.records(T0.plusMinutes(1), 10, "x-")))
                    .isEqualTo(10);
            assertThat(store.saveBatch(batch)).isEqualTo(16);
            assertThat(store.count()).as("5 before + 10 + 16, nothing lost, nothing twice").isEqualTo(31);
        }
        assertThat(integrityCheck(file)).isEqualTo("ok");
    }

    @Test
    void save_lockReleasedWithinBusyTimeout_waitsItOut_andBothWritersRowsAreStored() throws Exception {
        Path file = dir.resolve("traffic.db");
        StoreOptions options = StoreOptions.builder().busyTimeout(Duration.ofSeconds(30)).build();
        try (TrafficStore store = TrafficStore.open(file, options)) {
            try (Locker locker = Locker.start(file, "commit-after-400ms")) {
                // The other process has inserted one row and holds the lock for 400 ms more: this save must wait.
                assertThat(store.save(T0, TrafficStoreTest.records(T0, 12, "mine-"))).isEqualTo(12);
                assertThat(locker.awaitLine()).isEqualTo("committed");
            }
            assertThat(store.count()).isEqualTo(12 + 1);
            assertThat(store.edgeHistory("other", "writer", 5)).hasSize(1);
        }
        assertThat(integrityCheck(file)).isEqualTo("ok");
    }

    @Test
    void pipelineCycle_whileLocked_failsLoudlyWithNothingStored_andTheNextCycleStoresAWholeRun() throws Exception {
        Path file = dir.resolve("traffic.db");
        StoreOptions options = StoreOptions.builder().busyTimeout(Duration.ofMillis(200)).build();
        try (TrafficStore store = TrafficStore.open(file, options);
             TrafficPipeline pipeline = TrafficPipeline.builder().source(ReplaySource.bundled()).store(store).build()) {
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement statement = other.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                try {
                    assertThatThrownBy(pipeline::runCycle).isInstanceOf(TrafficStoreException.class)
                            .hasMessageContaining("save of 144 rows (rolled back, nothing stored)")
                            .hasMessageContaining("locked");
                    assertThat(store.count()).isZero();
                } finally {
                    statement.execute("ROLLBACK");
                }
            }

            assertThat(pipeline.runCycle().rowsStored()).isEqualTo(144);
            assertThat(store.count()).isEqualTo(144);
        }
    }

    static String integrityCheck(Path file) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement();
             var rs = statement.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A child JVM running {@link #main} that holds the database's write lock. */
    private static final class Locker implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;

        private Locker(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Locker start(Path file, String mode) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LockedDatabaseTest.class.getName(), file.toString(), mode)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Locker locker = new Locker(process);
            String first = locker.awaitLine();
            if (!"locked".equals(first)) {
                process.destroyForcibly();
                throw new AssertionError("locker did not lock: " + first);
            }
            return locker;
        }

        String awaitLine() throws IOException {
            return out.readLine();
        }

        void release() throws IOException {
            in.write("release\n");
            in.flush();
            assertThat(awaitLine()).isEqualTo("released");
        }

        @Override
        public void close() throws InterruptedException {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("locker did not exit");
            }
            assertThat(process.exitValue()).isZero();
        }
    }

    /**
     * The other writer: {@code hold} takes the write lock until told on stdin; {@code commit-after-400ms} inserts a row
     * under the lock and commits 400 ms later. Prints {@code locked} once it holds the lock.
     */
    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
             Statement statement = connection.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            if (args[1].equals("hold")) {
                System.out.println("locked");
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                statement.execute("ROLLBACK");
                System.out.println("released");
            } else {
                statement.execute("INSERT INTO traffic_edges (node_a_id, node_b_id) VALUES ('other', 'writer')");
                statement.execute("INSERT INTO traffic_observations (timestamp, edge_id, run_timestamp, distance_km, "
                        + "duration_sec, speed_kmh, api_type) VALUES (1761804000000000, last_insert_rowid(), "
                        + "1761804000000000, 1, 60, 60, 'real')");
                System.out.println("locked");
                System.out.flush();
                Thread.sleep(400); // this process is the slow other writer
                statement.execute("COMMIT");
                System.out.println("committed");
            }
            System.out.flush();
        }
    }
}

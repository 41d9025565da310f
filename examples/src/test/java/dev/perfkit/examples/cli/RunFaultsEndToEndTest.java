package dev.perfkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.export.HistogramLog;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code traffic-perf run} under process-level faults, as a user meets them: SIGKILL in the middle of
 * {@code run --cycles}, two SIGTERMs in quick succession, and a database locked by another writer. The database always
 * passes {@code PRAGMA integrity_check} and holds only whole runs of 144 rows; a SIGTERM still flushes the metrics
 * and closes the pool; a locked database is a clear error with nothing stored, never a silent drop.
 */
class RunFaultsEndToEndTest {

    private static final int RUN_ROWS = 144;
    /** A progress line of {@code run}: {@code cycle 3/10000: ...} or, without --cycles, {@code cycle 3: ...}. */
    private static final Pattern CYCLE_LINE = Pattern.compile("(?m)^cycle (\\d+)[/:]");

    @Test
    void sigkillDuringRunCycles_threeTimes_databaseIntactWithWholeRuns_andTheNextRunResumes(@TempDir Path dir)
            throws Exception {
        Path db = dir.resolve("data/traffic.db");
        long reportedBefore = 0;
        for (int kill = 1; kill <= 3; kill++) {
            Process process = ChildJvm.start(dir, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                    "run", "--cycles", "10000", "--interval", "0", "--data-dir", "data"));
            int reported = awaitCycle(dir, process, 1 + kill);

            process.destroyForcibly(); // SIGKILL: no shutdown hook, no commit of anything in flight, no pool close
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(TrafficPerfEndToEndTest.integrityCheck(db)).as("after SIGKILL %d", kill).isEqualTo("ok");
            long rows = TrafficPerfEndToEndTest.rowCount(db);
            assertThat(rows % RUN_ROWS).as("only whole runs after SIGKILL %d (%d rows)", kill, rows).isZero();
            assertThat(rows / RUN_ROWS).as("every cycle reported done is committed")
                    .isGreaterThanOrEqualTo(reportedBefore + reported);
            assertThat(TrafficPerfEndToEndTest.distinctTimestamps(db)).as("no run stored twice")
                    .isEqualTo(rows / RUN_ROWS);
            reportedBefore = rows / RUN_ROWS;
        }

        ChildJvm.Result after = ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data");

        assertThat(after.exitCode()).as(after.all()).isZero();
        assertThat(TrafficPerfEndToEndTest.rowCount(db)).isEqualTo((reportedBefore + 1) * RUN_ROWS);
        assertThat(TrafficPerfEndToEndTest.distinctTimestamps(db)).isEqualTo(reportedBefore + 1);
        assertThat(TrafficPerfEndToEndTest.integrityCheck(db)).isEqualTo("ok");
    }

    @Test
    void twoSigtermsInQuickSuccession_flushMetricsOnce_closeThePool_andLeaveWholeRuns(@TempDir Path dir)
            throws Exception {
        Process process = ChildJvm.start(dir, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                "run", "--interval", "0", "--data-dir", "data"));
        awaitCycle(dir, process, 3);

        process.destroy(); // SIGTERM
        process.destroy(); // and again, while the first one is being handled
        ChildJvm.Result result = ChildJvm.finish(dir, process);

        Path db = dir.resolve("data/traffic.db");
        assertThat(result.exitCode()).as(result.all()).isIn(0, 143);
        assertThat(result.stderr()).as("no failure while stopping").doesNotContain("Exception")
                .doesNotContain("could not append metrics");
        assertThat(Files.exists(dir.resolve("data/traffic.db-wal")) && Files.size(dir.resolve("data/traffic.db-wal")) > 0)
                .as("the pool was closed: SQLite checkpointed and removed its WAL").isFalse();
        assertThat(TrafficPerfEndToEndTest.integrityCheck(db)).isEqualTo("ok");
        long rows = TrafficPerfEndToEndTest.rowCount(db);
        assertThat(rows).isGreaterThanOrEqualTo(3L * RUN_ROWS);
        assertThat(rows % RUN_ROWS).as("only whole runs").isZero();
        long saves = HistogramLog.read(dir.resolve("data/metrics.hlog")).stream()
                .filter(s -> s.name().equals(TrafficMetrics.STORAGE_SAVE)).findFirst().orElseThrow().count();
        assertThat(saves).as("every stored run is in the flushed metrics, once").isEqualTo(rows / RUN_ROWS);
    }

    @Test
    void runOnce_whileAnotherWriterHoldsTheDatabase_exitsOneWithAClearError_andStoresNothing(@TempDir Path dir)
            throws Exception {
        assertThat(ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data").exitCode()).isZero();
        Path db = dir.resolve("data/traffic.db");

        ChildJvm.Result locked;
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                locked = ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data");
            } finally {
                statement.execute("ROLLBACK");
            }
        }

        assertThat(locked.exitCode()).as(locked.all()).isEqualTo(1);
        assertThat(locked.stderr()).contains("traffic-perf:").contains("save of 144 rows (rolled back, nothing stored)")
                .contains("locked by another writer").contains("busy_timeout=5000 ms");
        assertThat(TrafficPerfEndToEndTest.rowCount(db)).isEqualTo(RUN_ROWS);
        ChildJvm.Result retry = ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data");
        assertThat(retry.exitCode()).as(retry.all()).isZero();
        assertThat(TrafficPerfEndToEndTest.rowCount(db)).isEqualTo(2L * RUN_ROWS);
        ChildJvm.Result report = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data");
        assertThat(report.stdout()).as("the failed save's error survives the log")
                .containsPattern("(?m)^traffic\\.storage\\.save .* 1 \\([A-Za-z]+ 1\\)$");
    }

    /**
     * Waits until the child has printed that cycle {@code n} is done (polling its output file: another process's
     * progress, not this test's threads), and returns the last cycle it reported.
     */
    static int awaitCycle(Path dir, Process process, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            int last = lastCycle(ChildJvm.read(dir, "stdout.txt"));
            if (last >= n) {
                return last;
            }
            Thread.sleep(20); // polling another process's output file
        }
        process.destroyForcibly();
        throw new AssertionError("child did not reach cycle " + n + ": " + ChildJvm.read(dir, "stdout.txt")
                + ChildJvm.read(dir, "stderr.txt"));
    }

    static int lastCycle(String stdout) {
        int last = 0;
        Matcher cycle = CYCLE_LINE.matcher(stdout);
        while (cycle.find()) {
            last = Math.max(last, Integer.parseInt(cycle.group(1)));
        }
        return last;
    }
}

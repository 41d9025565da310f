package dev.perfkit.traffic.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL in the middle of its writes: every batch it reported as committed is readable
 * afterwards, and no batch is half there.
 */
class KillDuringWritesTest {

    static final int ROWS_PER_BATCH = 10;

    @TempDir
    Path dir;

    @Test
    void killedWriter_everyCommittedBatchSurvives_noPartialBatch() throws Exception {
        Path file = dir.resolve("traffic.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillDuringWritesTest.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int reportedCommitted = 0;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    reportedCommitted = Integer.parseInt(line.substring("committed ".length()));
                    if (reportedCommitted >= 20) {
                        child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close()
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(reportedCommitted).isGreaterThanOrEqualTo(20);
        try (TrafficStore store = TrafficStore.open(file)) {
            long rows = store.count();
            assertThat(rows).isGreaterThanOrEqualTo((long) reportedCommitted * ROWS_PER_BATCH);
            assertThat(rows % ROWS_PER_BATCH).isZero();
        }
    }

    /** The child: commits batches in a loop and reports each commit, until killed (or 5000 batches). */
    public static void main(String[] args) {
        try (TrafficStore store = TrafficStore.open(Path.of(args[0]))) {
            LocalDateTime t0 = LocalDateTime.of(2025, 10, 30, 0, 0);
            for (int batch = 1; batch <= 5000; batch++) {
                LocalDateTime t = t0.plusSeconds(batch);
                store.save(t, TrafficStoreTest.records(t, ROWS_PER_BATCH, "k" + batch + "-"));
                System.out.println("committed " + batch);
                System.out.flush();
            }
        }
    }
}

package dev.perfkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a data directory holds besides the database (the metrics log, the profile, the writer lock) under the faults a
 * user meets: two writers at once, SIGKILL, a damaged log, a full device, an older file backfilled, the same file
 * twice, a damaged profile. Every expectation comes from what the test did (processes started, bytes changed) or from
 * the database, never from the output under test.
 */
class DataDirFaultsEndToEndTest {

    private static final int RUN_ROWS = 144;
    private static final String SAVE = TrafficMetrics.STORAGE_SAVE;
    private static final String CYCLE = TrafficMetrics.CYCLE_RUN;

    @Test
    void twoWriters_theSecondExitsNamingTheHolder_andWithWaitBothFinish_withEveryRunStoredOnce(@TempDir Path dir)
            throws Exception {
        String data = dir.resolve("data").toString();
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path c = Files.createDirectories(dir.resolve("c"));
        Process first = ChildJvm.start(a, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                "run", "--interval", "100ms", "--data-dir", data));
        Process waiting = null;
        ChildJvm.Result refused;
        boolean firstStillRunning;
        ChildJvm.Result firstResult;
        ChildJvm.Result waited;
        try {
            RunFaultsEndToEndTest.awaitCycle(a, first, 1);
            waiting = ChildJvm.start(c, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                    "run", "--cycles", "5", "--interval", "0", "--wait", "--data-dir", data));
            refused = ChildJvm.trafficPerf(b, "run", "--once", "--data-dir", data);
            firstStillRunning = first.isAlive();
            awaitLine(c, waiting, "waiting for pid " + first.pid());
            first.destroy(); // SIGTERM: the cycle in progress finishes and is printed
            firstResult = ChildJvm.finish(a, first);
            waited = ChildJvm.finish(c, waiting);
        } finally {
            stop(first, waiting);
        }
        int firstCycles = RunFaultsEndToEndTest.lastCycle(firstResult.stdout());

        assertThat(firstStillRunning).as("the holder outlived the refused writer").isTrue();
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(1);
        assertThat(refused.stderr()).contains("data directory " + data + " is in use")
                .contains("pid " + first.pid()).contains("--wait");
        assertThat(firstResult.exitCode()).as(firstResult.all()).isIn(0, 143);
        assertThat(waited.exitCode()).as(waited.all()).isZero();
        Path db = dir.resolve("data/traffic.db");
        assertThat(TrafficPerfEndToEndTest.rowCount(db)).isEqualTo((firstCycles + 5L) * RUN_ROWS);
        assertThat(TrafficPerfEndToEndTest.distinctTimestamps(db)).as("no run stored twice")
                .isEqualTo(firstCycles + 5L);
        assertThat(reportCount(dir, "data", SAVE)).as("saves in the metrics log").isEqualTo(firstCycles + 5L);
    }

    @Test
    void runWhileServeHoldsTheDataDir_exitsOneNamingServesPid_andStoresNothing(@TempDir Path dir) throws Exception {
        String data = dir.resolve("data").toString();
        Path s = Files.createDirectories(dir.resolve("serve"));
        Path r = Files.createDirectories(dir.resolve("run"));
        Process serve = ChildJvm.start(s, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                "serve", "--port", "0", "--interval", "200ms", "--cycles", "1", "--data-dir", data));
        try {
            awaitStdout(s, serve, "Dashboard at ");

            ChildJvm.Result refused = ChildJvm.trafficPerf(r, "run", "--once", "--data-dir", data);

            assertThat(refused.exitCode()).as(refused.all()).isEqualTo(1);
            assertThat(refused.stderr()).contains("data directory " + data + " is in use")
                    .contains("pid " + serve.pid());
            assertThat(TrafficPerfEndToEndTest.rowCount(dir.resolve("data/traffic.db")))
                    .as("serve stores its one cycle (--cycles 1), run nothing").isLessThanOrEqualTo(RUN_ROWS);
        } finally {
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void sixRunOnceAtOnce_withWait_allStore_andTheProfileCountsSix(@TempDir Path dir) throws Exception {
        String data = dir.resolve("data").toString();
        List<Process> processes = new ArrayList<>();
        List<Path> workDirs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Path work = Files.createDirectories(dir.resolve("w" + i));
            workDirs.add(work);
            processes.add(ChildJvm.start(work, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                    "run", "--once", "--wait=2m", "--data-dir", data)));
        }
        for (int i = 0; i < 6; i++) {
            ChildJvm.Result result = ChildJvm.finish(workDirs.get(i), processes.get(i));
            assertThat(result.exitCode()).as(result.all()).isZero();
        }

        Path db = dir.resolve("data/traffic.db");
        assertThat(TrafficPerfEndToEndTest.distinctTimestamps(db)).isEqualTo(6);
        assertThat(TrafficPerfEndToEndTest.rowCount(db)).isEqualTo(6 * RUN_ROWS);
        assertThat(profileCalls(dir.resolve("data/profile.tsv"), SAVE)).isEqualTo(6);
        assertThat(reportCount(dir, "data", SAVE)).isEqualTo(6);
    }

    @Test
    void sigkillAtRandomMoments_thenMoreRuns_reportCountsEverySaveButTheCyclesInProgress(@TempDir Path dir)
            throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path db = dir.resolve("data/traffic.db");
        Path log = dir.resolve("data/metrics.hlog");
        int kills = 2;
        int tornSaves = 0;
        long reportedCycles = 0;
        for (int kill = 1; kill <= kills; kill++) {
            Process process = ChildJvm.start(dir, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                    "run", "--cycles", "10000", "--interval", "0", "--data-dir", "data"));
            int reported = RunFaultsEndToEndTest.awaitCycle(dir, process, 2);
            Thread.sleep(random.nextInt(400)); // a random moment of another process's cycle, not synchronisation
            process.destroyForcibly(); // SIGKILL
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reportedCycles += reported;
            assertThat(profileCalls(dir.resolve("data/profile.tsv"), SAVE))
                    .as("the profile is saved every cycle (seed %d, kill %d)", seed, kill)
                    .isGreaterThanOrEqualTo(reportedCycles).isLessThanOrEqualTo(TrafficPerfEndToEndTest
                            .distinctTimestamps(db));
            // a kill inside an append leaves its last line cut short: do that to the last record for sure
            String cutTag = cutLastLine(log, random);
            tornSaves += cutTag.equals(SAVE) ? 1 : 0;
            ChildJvm.Result more = ChildJvm.trafficPerf(dir, "run", "--cycles", "3", "--interval", "0",
                    "--data-dir", "data");
            assertThat(more.exitCode()).as(more.all()).isZero();
        }

        ChildJvm.Result report = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--format", "json");

        long stored = TrafficPerfEndToEndTest.distinctTimestamps(db);
        assertThat(report.exitCode()).as(report.all()).isZero();
        long saves = TrafficPerfEndToEndTest.find(new ObjectMapper().readTree(report.stdout()).get("timers"), SAVE)
                .get("count").asLong();
        assertThat(saves).as("seed %d: %d runs stored, %d kills, %d torn save records; %s", seed, stored, kills,
                        tornSaves, report.stderr())
                .isLessThanOrEqualTo(stored).isGreaterThanOrEqualTo(stored - kills - tornSaves);
        assertThat(report.stderr()).containsPattern("skipped a damaged record: .*metrics\\.hlog line \\d+: ")
                .containsPattern("\\d+ damaged records? of .*metrics\\.hlog skipped");
    }

    @Test
    void damagedLog_randomBytesAndABadNumberInTheMiddle_areSkippedAndNamed_andStrictExitsOne(@TempDir Path dir)
            throws Exception {
        ChildJvm.Result run = ChildJvm.trafficPerf(dir, "run", "--cycles", "3", "--interval", "0",
                "--data-dir", "data");
        assertThat(run.exitCode()).as(run.all()).isZero();
        Path log = dir.resolve("data/metrics.hlog");
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        int badNumber = nthLine(lines, "#perfkit timer=" + SAVE + " ", 2);
        lines.set(badNumber, lines.get(badNumber).replaceFirst("sum=[0-9]+", "sum=12x4"));
        int noisy = nthLine(lines, "#perfkit timer=" + CYCLE + " ", 2) + 1;
        byte[] bytes = String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8);
        Files.write(log, withRandomBytes(bytes, noisy, new Random(11)));

        ChildJvm.Result report = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--format", "json");
        ChildJvm.Result strict = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--strict");

        assertThat(report.exitCode()).as(report.all()).isZero();
        JsonNode timers = new ObjectMapper().readTree(report.stdout()).get("timers");
        long stored = TrafficPerfEndToEndTest.distinctTimestamps(dir.resolve("data/traffic.db"));
        assertThat(TrafficPerfEndToEndTest.find(timers, SAVE).get("count").asLong()).isEqualTo(stored - 1);
        assertThat(TrafficPerfEndToEndTest.find(timers, CYCLE).get("count").asLong()).isEqualTo(stored - 1);
        assertThat(report.stderr())
                .contains("metrics.hlog line " + (badNumber + 1) + ": sum of " + SAVE + ": '12x4' is not an integer")
                .contains("metrics.hlog line " + (noisy + 1) + ": ")
                .contains("2 damaged records of data/metrics.hlog skipped");
        assertThat(strict.exitCode()).as(strict.all()).isEqualTo(1);
        assertThat(strict.stderr()).contains("2 damaged records").contains("--strict");
    }

    @Test
    void metricsLogOnAFullDevice_exitsOneNamingTheFileAndTheCause(@TempDir Path dir) throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "no /dev/full on this system");
        Files.createDirectories(dir.resolve("data"));
        Files.createSymbolicLink(dir.resolve("data/metrics.hlog"), full);

        ChildJvm.Result run = ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data");

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr()).contains("traffic-perf: could not append to data/metrics.hlog: "
                + "No space left on device");
        assertThat(run.stdout()).doesNotContain("metrics appended");
        Files.delete(dir.resolve("data/metrics.hlog")); // the link, not /dev/full
    }

    @Test
    void inputOlderThanTheStoredRuns_isStoredWithTheFilesTimestamps_andTheSameFileAgainIsAllDuplicates(
            @TempDir Path dir) throws Exception {
        ChildJvm.Result newer = ChildJvm.trafficPerf(dir, "run", "--cycles", "14", "--interval", "0",
                "--data-dir", "data");
        assertThat(newer.exitCode()).as(newer.all()).isZero();
        String bundled;
        try (InputStream in = getClass().getResourceAsStream(
                "/dev/perfkit/traffic/data/hcmc/runs/run_20251030_052516.json")) {
            bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String older = bundled.replace("\"2025-10-30T", "\"2025-10-20T");
        Files.writeString(dir.resolve("older.json"), older);
        Set<Instant> expected = new TreeSet<>();
        int records = 0;
        Matcher timestamp = Pattern.compile("\"timestamp\": \"([^\"]+)\"").matcher(older);
        while (timestamp.find()) {
            expected.add(LocalDateTime.parse(timestamp.group(1)).atZone(ZoneId.of("Asia/Ho_Chi_Minh")).toInstant());
            records++;
        }
        Path db = dir.resolve("data/traffic.db");
        long rowsBefore = TrafficPerfEndToEndTest.rowCount(db);

        ChildJvm.Result backfill = ChildJvm.trafficPerf(dir, "run", "--input", "older.json", "--data-dir", "data");
        long rowsAfterBackfill = TrafficPerfEndToEndTest.rowCount(db);
        ChildJvm.Result again = ChildJvm.trafficPerf(dir, "run", "--input", "older.json", "--data-dir", "data");

        assertThat(backfill.exitCode()).as(backfill.all()).isZero();
        assertThat(storedTimestampsBefore(db, Instant.parse("2025-10-25T00:00:00Z")))
                .as("stored as the file says").isEqualTo(expected);
        assertThat(rowsAfterBackfill).isEqualTo(rowsBefore + records);
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stdout()).contains("stored 0")
                .contains(records + " rows already stored (same timestamp and edge) skipped as duplicates")
                .contains("DUPLICATE:stored=" + records);
        assertThat(TrafficPerfEndToEndTest.rowCount(db)).as("no second row").isEqualTo(rowsAfterBackfill);
    }

    @Test
    void profileWithANegativeTotal_isRejectedWithFileLineAndReason_byReportAndByRun(@TempDir Path dir)
            throws Exception {
        assertThat(ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data").exitCode()).isZero();
        Path profile = dir.resolve("data/profile.tsv");
        List<String> lines = new ArrayList<>(Files.readAllLines(profile));
        String[] cells = lines.get(1).split("\t");
        cells[2] = "-5000000000";
        lines.set(1, String.join("\t", cells));
        Files.write(profile, lines);
        byte[] damaged = Files.readAllBytes(profile);

        ChildJvm.Result report = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--profile");
        ChildJvm.Result run = ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data");

        String reason = "profile.tsv: profile line 2, field totalNanos: -5000000000 is negative (must be 0 or more)";
        assertThat(report.exitCode()).as(report.all()).isEqualTo(1);
        assertThat(report.stderr()).contains(reason);
        assertThat(report.stdout()).doesNotContain("-5000000000");
        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stderr()).contains(reason);
        assertThat(Files.readAllBytes(profile)).as("left as it is").isEqualTo(damaged);
        assertThat(TrafficPerfEndToEndTest.rowCount(dir.resolve("data/traffic.db"))).isEqualTo(RUN_ROWS);
    }

    @Test
    void twoWritersOnOnePostgresSchema_fromTwoDataDirs_theSecondExitsNamingTheHolder_orWaits(@TempDir Path dir)
            throws Exception {
        String url = PostgresServer.freshSchemaUrl();
        String schema = url.substring(url.lastIndexOf("currentSchema=") + "currentSchema=".length());
        try {
            Path a = Files.createDirectories(dir.resolve("a"));
            Path b = Files.createDirectories(dir.resolve("b"));
            Path c = Files.createDirectories(dir.resolve("c"));
            Process first = ChildJvm.start(a, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                    "run", "--interval", "100ms", "--db", url, "--data-dir", "data"));
            Process waiting = null;
            ChildJvm.Result refused;
            boolean firstStillRunning;
            ChildJvm.Result firstResult;
            ChildJvm.Result waited;
            try {
                RunFaultsEndToEndTest.awaitCycle(a, first, 1);
                waiting = ChildJvm.start(c, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                        "run", "--once", "--wait=2m", "--db", url, "--data-dir", "data"));
                refused = ChildJvm.trafficPerf(b, "run", "--once", "--db", url, "--data-dir", "data");
                firstStillRunning = first.isAlive();
                awaitLine(c, waiting, "waiting for traffic-perf pid " + first.pid());
                first.destroy(); // SIGTERM: the cycle in progress finishes and is printed
                firstResult = ChildJvm.finish(a, first);
                waited = ChildJvm.finish(c, waiting);
            } finally {
                stop(first, waiting);
            }
            long expectedRuns = RunFaultsEndToEndTest.lastCycle(firstResult.stdout()) + 1L;

            assertThat(firstStillRunning).isTrue();
            assertThat(refused.exitCode()).as(refused.all()).isEqualTo(1);
            assertThat(refused.stderr()).contains("database schema " + schema + " (of --db) is in use")
                    .contains("traffic-perf pid " + first.pid()).doesNotContain("password=perfkit");
            assertThat(firstResult.exitCode()).as(firstResult.all()).isIn(0, 143);
            assertThat(waited.exitCode()).as(waited.all()).isZero();
            try (Connection connection = DriverManager.getConnection(url);
                 Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(
                         "SELECT COUNT(*), COUNT(DISTINCT run_timestamp) FROM traffic_data")) {
                row.next();
                assertThat(row.getLong(2)).as("no run stored twice").isEqualTo(expectedRuns);
                assertThat(row.getLong(1)).isEqualTo(expectedRuns * RUN_ROWS);
            }
        } finally {
            PostgresServer.dropSchema(url);
        }
    }

    /** Kills what is still running after a failed assertion (the writers above have no cycle limit). */
    private static void stop(Process... processes) throws InterruptedException {
        for (Process process : processes) {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until the child has printed {@code text} on stdout (polling another process's output file). */
    private static void awaitStdout(Path workDir, Process process, String text) throws Exception {
        awaitOutput(workDir, process, text, "stdout.txt");
    }

    /** Waits until the child has printed {@code text} on stderr (polling another process's output file). */
    private static void awaitLine(Path workDir, Process process, String text) throws Exception {
        awaitOutput(workDir, process, text, "stderr.txt");
    }

    private static void awaitOutput(Path workDir, Process process, String text, String file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (ChildJvm.read(workDir, file).contains(text)) {
                return;
            }
            Thread.sleep(20); // polling another process's output file
        }
        throw new AssertionError("child did not print '" + text + "': " + ChildJvm.read(workDir, "stdout.txt")
                + ChildJvm.read(workDir, "stderr.txt"));
    }

    /** The count of {@code timer} in {@code report --format json}. */
    private static long reportCount(Path dir, String dataDir, String timer) throws Exception {
        ChildJvm.Result report = ChildJvm.trafficPerf(dir, "report", "--data-dir", dataDir, "--format", "json");
        assertThat(report.exitCode()).as(report.all()).isZero();
        assertThat(report.stderr()).doesNotContain("damaged");
        return TrafficPerfEndToEndTest.find(new ObjectMapper().readTree(report.stdout()).get("timers"), timer)
                .get("count").asLong();
    }

    /** Calls of the path {@code frames} in a saved profile (0 when there is no profile yet). */
    private static long profileCalls(Path profile, String frames) throws IOException {
        if (!Files.exists(profile)) {
            return 0;
        }
        return Files.readAllLines(profile).stream().filter(line -> line.startsWith(frames + "\t"))
                .mapToLong(line -> Long.parseLong(line.split("\t")[1])).sum();
    }

    /** Cuts the log's last line short by 1 to its length less one bytes; returns the tag of the line cut. */
    private static String cutLastLine(Path log, Random random) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        int end = bytes.length - 1; // the newline of the last line
        int start = end;
        while (start > 0 && bytes[start - 1] != '\n') {
            start--;
        }
        String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
        int keep = 1 + random.nextInt(end - start - 1);
        Files.write(log, java.util.Arrays.copyOf(bytes, start + keep));
        Matcher tag = Pattern.compile("^(?:#perfkit timer=|Tag=)([^ ,]+)").matcher(line);
        return tag.find() ? tag.group(1) : "";
    }

    /** {@code bytes} with 16 random bytes (never a newline) inserted in the middle of line {@code index}. */
    private static byte[] withRandomBytes(byte[] bytes, int index, Random random) {
        int start = 0;
        for (int line = 0; line < index; line++) {
            while (bytes[start] != '\n') {
                start++;
            }
            start++;
        }
        int end = start;
        while (bytes[end] != '\n') {
            end++;
        }
        int at = (start + end) / 2;
        byte[] noise = new byte[16];
        for (int i = 0; i < noise.length; i++) {
            byte b;
            do {
                b = (byte) random.nextInt(256);
            } while (b == '\n');
            noise[i] = b;
        }
        byte[] out = new byte[bytes.length + noise.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(noise, 0, out, at, noise.length);
        System.arraycopy(bytes, at, out, at + noise.length, bytes.length - at);
        return out;
    }

    private static int nthLine(List<String> lines, String prefix, int n) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix) && ++seen == n) {
                return i;
            }
        }
        throw new AssertionError("no line " + n + " starting with " + prefix);
    }

    /** The distinct observation instants stored before {@code before}. */
    private static Set<Instant> storedTimestampsBefore(Path db, Instant before) throws SQLException {
        Set<Instant> stored = new TreeSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT timestamp FROM traffic_data")) {
            while (rows.next()) {
                Instant instant = Instant.parse(rows.getString(1));
                if (instant.isBefore(before)) {
                    stored.add(instant);
                }
            }
        }
        return stored;
    }
}

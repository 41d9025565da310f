package dev.perfkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.PerfRegistry;
import dev.perfkit.export.HistogramLog;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user runs it: a child JVM on the main class, a temp data directory, real SQLite. */
class TrafficPerfEndToEndTest {

    static final List<String> TARGET_OPERATIONS = List.of(TrafficMetrics.FEATURES_BUILD, TrafficMetrics.GEO_HAVERSINE,
            TrafficMetrics.VALIDATION_VALIDATE, TrafficMetrics.STORAGE_SAVE, TrafficMetrics.FORECAST_PREDICT);

    @Test
    void runOnce_storesOneRealRun_andPrintsSummaryThenTable(@TempDir Path dir) throws Exception {
        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data");

        assertThat(result.exitCode()).as(result.all()).isZero();
        String out = result.stdout();
        // run_20251030_032440 is local time of Ho Chi Minh City (UTC+7)
        assertThat(out).contains("Last cycle: run 2025-10-29T20:24:40Z (2025-10-30T03:24:40 in Ho Chi Minh City)")
                .contains("retention 30d: 0 older rows deleted");
        assertThat(out.indexOf("collected 144, valid 144, rejected 0, stored 144")).isPositive()
                .isLessThan(out.indexOf("time per stage:")).isLessThan(out.indexOf("name "));
        for (String name : TARGET_OPERATIONS) {
            assertThat(out).containsPattern("(?m)^" + name.replace(".", "\\.") + "\\s+\\S+ \\S+\\s+[1-9]");
        }
        assertThat(rowCount(dir.resolve("data/traffic.db"))).isEqualTo(144);
    }

    @Test
    void reportJson_listsTheFiveTargetOperationsWithCounts(@TempDir Path dir) throws Exception {
        assertThat(ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data").exitCode()).isZero();

        ChildJvm.Result report = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--format", "json");

        assertThat(report.exitCode()).as(report.all()).isZero();
        JsonNode timers = new ObjectMapper().readTree(report.stdout()).get("timers");
        for (String name : TARGET_OPERATIONS) {
            JsonNode timer = find(timers, name);
            assertThat(timer).as(name).isNotNull();
            assertThat(timer.get("count").asLong()).as(name).isPositive();
            assertThat(timer.get("targetNanos").asLong()).as(name).isPositive();
            assertThat(timer.get("p50Nanos").asLong()).isLessThanOrEqualTo(timer.get("p99Nanos").asLong());
            assertThat(timer.has("p90Nanos") && timer.has("p999Nanos") && timer.has("maxNanos")).isTrue();
            assertThat(timer.get("met").isBoolean()).isTrue();
        }
    }

    @Test
    void secondRun_continuesTheReplay_andReportMergesBothRuns(@TempDir Path dir) throws Exception {
        assertThat(ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data").exitCode()).isZero();
        assertThat(ChildJvm.trafficPerf(dir, "run", "--cycles", "2", "--interval", "0", "--data-dir", "data")
                .exitCode()).isZero();

        assertThat(rowCount(dir.resolve("data/traffic.db"))).isEqualTo(3 * 144);
        assertThat(distinctTimestamps(dir.resolve("data/traffic.db"))).isEqualTo(3);
        ChildJvm.Result report = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--format", "json");
        assertThat(find(new ObjectMapper().readTree(report.stdout()).get("timers"), TrafficMetrics.STORAGE_SAVE)
                .get("count").asLong()).isEqualTo(3);
    }

    @Test
    void reportPrometheus_andProfile_andFlameGraph(@TempDir Path dir) throws Exception {
        assertThat(ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data").exitCode()).isZero();

        assertThat(ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--format", "prometheus").stdout())
                .contains("# TYPE traffic_storage_save_seconds histogram");
        ChildJvm.Result profile = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--profile",
                "--sort", "self", "--limit", "3", "--flamegraph", "flame.svg");
        assertThat(profile.exitCode()).as(profile.all()).isZero();
        assertThat(profile.stdout()).contains("profile sorted by self").contains("traffic.");
        assertThat(Files.readString(dir.resolve("flame.svg"))).startsWith("<?xml").contains(TrafficMetrics.STORAGE_SAVE);
    }

    @Test
    void jsonWithAWrongType_rejectsThatRecordWithFileLineAndField_andStoresTheOther(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("typed.json"), """
                [
                  {"node_a_id": "a", "node_b_id": "b", "timestamp": "2025-10-30T03:24:51", "distance_km": 1.0,
                   "duration_sec": 100, "speed_kmh": 36.0, "api_type": "real"},
                  {"node_a_id": "a", "node_b_id": "c", "timestamp": "2025-10-30T03:24:51", "distance_km": "far",
                   "duration_sec": 100, "speed_kmh": 36.0, "api_type": "real"}
                ]
                """);

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--input", "typed.json", "--data-dir", "data");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.stdout()).contains("collected 2, valid 1, rejected 1, stored 1")
                .contains("UNREADABLE:distance_km=1").contains("typed.json, line 4, record 1, field 'distance_km'");
        assertThat(rowCount(dir.resolve("data/traffic.db"))).isEqualTo(1);
    }

    @Test
    void truncatedJson_exitsOne_namingTheFile_andStoresNothing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cut.json"), """
                [
                  {"node_a_id": "a", "node_b_id": "b", "timestamp": "2025-10-30T03:24:51", "distance_km": 1.0,
                   "duration_sec": 100, "speed_kmh": 36.0, "api_type": "real"},
                  {"node_a_id": "a", "node_b_id": "c", "timest""");

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--input", "cut.json", "--data-dir", "data");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("cut.json").contains("malformed JSON");
        assertThat(Files.exists(dir.resolve("data/traffic.db"))).isFalse();
    }

    @Test
    void csvWithABadTimestampAndANonNumber_storesTheGoodRows_printsTheRejected_strictStoresNothing(
            @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("rows.csv"), """
                node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh,api_type
                node-10.761259-106.683235,node-10.766384-106.678785,2025-10-30T03:24:51,0.981,143,24.7,real
                node-10.761259-106.683235,node-10.768073-106.684310,not-a-time,0.996,142,25.0,real
                node-10.756048-106.683663,node-10.759503-106.684051,2025-10-30T03:24:52,0.572,118,17.45,real
                node-10.756048-106.683663,node-10.766384-106.678785,2025-10-30T03:24:53,0.5,fast,17.45,real
                """);

        ChildJvm.Result strict = ChildJvm.trafficPerf(dir, "run", "--input", "rows.csv", "--strict",
                "--data-dir", "strict");
        ChildJvm.Result lenient = ChildJvm.trafficPerf(dir, "run", "--input", "rows.csv", "--data-dir", "data");

        assertThat(strict.exitCode()).as(strict.all()).isEqualTo(TrafficPerf.EXIT_REJECTED_ROWS);
        assertThat(strict.stdout()).contains("--strict: 2 of 4 rows").contains("nothing stored");
        assertThat(Files.exists(dir.resolve("strict/traffic.db"))).isFalse();
        assertThat(lenient.exitCode()).as(lenient.all()).isZero();
        assertThat(lenient.stdout()).contains("collected 4, valid 2, rejected 2, stored 2")
                .contains("line 3, record 1, field 'timestamp': not an ISO date-time: 'not-a-time'")
                .contains("line 5, record 3, field 'duration_sec': not a number: 'fast'");
        assertThat(rowCount(dir.resolve("data/traffic.db"))).isEqualTo(2);
    }

    @Test
    void retention_deletesRunsOlderThanTheWindowAfterEachStore(@TempDir Path dir) throws Exception {
        // replayed runs start at 03:24:40, 03:24:57, 05:25:16 and 06:30:33 local time
        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--cycles", "4", "--interval", "0",
                "--retention", "1h", "--data-dir", "data");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.stdout()).contains("retention 1h: 144 older rows deleted");
        assertThat(rowCount(dir.resolve("data/traffic.db"))).isEqualTo(144);
        assertThat(ChildJvm.trafficPerf(dir, "run", "--once", "--retention", "10m").stderr())
                .contains("--retention must be 1h to 36500d");
    }

    @Test
    void runOnce_withAPostgresUrl_storesTheRunOnTheServer_andKeepsMetricsInTheDataDir(@TempDir Path dir)
            throws Exception {
        String url = PostgresServer.freshSchemaUrl();
        try {
            ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--once", "--db", url, "--data-dir", "data");

            assertThat(result.exitCode()).as(result.all()).isZero();
            assertThat(result.stdout()).contains("stored 144 (database: jdbc:postgresql://")
                    .contains("password=****").doesNotContain("password=perfkit");
            assertThat(Files.exists(dir.resolve("data/metrics.hlog"))).isTrue();
            assertThat(Files.exists(dir.resolve("data/traffic.db"))).isFalse();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT run_timestamp) FROM traffic_data")) {
                r.next();
                assertThat(r.getLong(1)).isEqualTo(144);
                assertThat(r.getLong(2)).isEqualTo(1);
            }
        } finally {
            PostgresServer.dropSchema(url);
        }
    }

    @Test
    void csvWithInvalidRows_reportsReasons_andStoresTheValidRows(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("rows.csv"), """
                node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh,api_type
                node-10.761259-106.683235,node-10.766384-106.678785,2025-10-30T03:24:51,0.981,143,24.7,real
                node-10.761259-106.683235,node-10.768073-106.684310,2025-10-30T03:24:51,0.996,142,250.0,real
                node-10.756048-106.683663,node-10.759503-106.684051,2025-10-30T03:24:52,0.572,118,17.45,real
                """);

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--input", "rows.csv", "--data-dir", "data");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.stdout()).contains("collected 3, valid 2, rejected 1, stored 2")
                .contains("record 2").contains("speed_kmh");
        assertThat(rowCount(dir.resolve("data/traffic.db"))).isEqualTo(2);
    }

    @Test
    void checkTargets_aTargetNoSaveCanMeet_exitsThree(@TempDir Path dir) throws Exception {
        ChildJvm.Result run = ChildJvm.trafficPerf(dir, "run", "--once", "--check-targets", "--data-dir", "data",
                "--target", "traffic.storage.save=1ns");

        assertThat(run.exitCode()).as(run.all()).isEqualTo(TrafficPerf.EXIT_TARGET_MISSED);
        assertThat(run.stdout()).containsPattern("traffic\\.storage\\.save +1 ns .* missed");
    }

    @Test
    void checkTargets_everyTargetRelaxedToAnHour_exitsZero(@TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--once", "--check-targets", "--data-dir", "data"));
        for (String name : targetedTimerNames()) {
            args.add("--target");
            args.add(name + "=60m");
        }

        ChildJvm.Result run = ChildJvm.trafficPerf(dir, args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.all()).isEqualTo(TrafficPerf.EXIT_OK);
        assertThat(run.stdout()).doesNotContain("missed");
    }

    /** The names of every traffic-core method whose annotation sets a target, read from the classes themselves. */
    private static List<String> targetedTimerNames() throws Exception {
        Path classes = Path.of(dev.perfkit.traffic.geo.Geo.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        List<String> names = new ArrayList<>();
        try (java.nio.file.FileSystem jar = classes.toString().endsWith(".jar")
                ? java.nio.file.FileSystems.newFileSystem(classes) : null;
             java.util.stream.Stream<Path> files = Files.walk(jar == null ? classes : jar.getPath("/"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String path = (jar == null ? classes.relativize(file) : file).toString().replaceFirst("^/", "");
                Class<?> type = Class.forName(path.substring(0, path.length() - 6).replace('/', '.'));
                for (java.lang.reflect.Method method : type.getDeclaredMethods()) {
                    dev.perfkit.annotation.Timed timed = method.getAnnotation(dev.perfkit.annotation.Timed.class);
                    dev.perfkit.annotation.Profiled profiled =
                            method.getAnnotation(dev.perfkit.annotation.Profiled.class);
                    if (timed != null && !timed.target().isBlank()) {
                        names.add(timed.value());
                    }
                    if (profiled != null && !profiled.target().isBlank()) {
                        names.add(profiled.value());
                    }
                }
            }
        }
        assertThat(names).as("targeted timers found in traffic-core").contains(TrafficMetrics.STORAGE_SAVE);
        return names;
    }

    @Test
    void reportCheckTargets_exitsThreeOnAMissedTarget(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        PerfRegistry registry = new PerfRegistry();
        registry.timerBuilder("slow.op").target(Duration.ofNanos(100)).register().record(5_000_000);
        registry.timerBuilder("fast.op").target(Duration.ofSeconds(1)).register().record(1_000);
        HistogramLog.append(data.resolve("metrics.hlog"), registry.intervalSnapshots());

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "report", "--data-dir", "data", "--check-targets");

        assertThat(result.exitCode()).as(result.all()).isEqualTo(3);
        assertThat(result.stdout()).containsPattern("slow\\.op .*missed").containsPattern("fast\\.op .*met");
    }

    @Test
    void sigtermDuringCycles_leavesConsistentDatabaseAndFlushedMetrics(@TempDir Path dir) throws Exception {
        Process process = ChildJvm.start(dir, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                "run", "--cycles", "10000", "--interval", "20ms", "--data-dir", "data"));
        Path db = dir.resolve("data/traffic.db");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!ChildJvm.read(dir, "stdout.txt").contains("cycle 3/") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.sleep(20); // polling another process's output; not synchronising this test's own threads
        }
        assertThat(ChildJvm.read(dir, "stdout.txt")).contains("cycle 3/");

        process.destroy(); // SIGTERM
        ChildJvm.Result result = ChildJvm.finish(dir, process);

        assertThat(result.exitCode()).as(result.all()).isIn(0, 143);
        assertThat(integrityCheck(db)).isEqualTo("ok");
        long rows = rowCount(db);
        assertThat(rows).isPositive();
        assertThat(rows % 144).as("only whole runs are stored").isZero();
        long saves = HistogramLog.read(dir.resolve("data/metrics.hlog")).stream()
                .filter(s -> s.name().equals(TrafficMetrics.STORAGE_SAVE)).findFirst().orElseThrow().count();
        assertThat(saves).as("every stored run is in the flushed metrics").isEqualTo(rows / 144);
    }

    @Test
    void unknownOption_exitsTwoWithAClearMessage(@TempDir Path dir) throws Exception {
        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--no-such-option");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void everySubcommand_hasHelp(@TempDir Path dir) throws Exception {
        for (String command : new String[] {"run", "report", "serve"}) {
            ChildJvm.Result result = ChildJvm.trafficPerf(dir, command, "--help");
            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.stdout()).as(command).contains("Usage: traffic-perf " + command);
        }
    }

    static JsonNode find(JsonNode timers, String name) {
        for (JsonNode timer : timers) {
            if (timer.get("name").asText().equals(name)) {
                return timer;
            }
        }
        return null;
    }

    static long rowCount(Path db) throws SQLException {
        return queryLong(db, "SELECT COUNT(*) FROM traffic_data");
    }

    static long distinctTimestamps(Path db) throws SQLException {
        return queryLong(db, "SELECT COUNT(DISTINCT run_timestamp) FROM traffic_data");
    }

    static String integrityCheck(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            return r.getString(1);
        }
    }

    private static long queryLong(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}

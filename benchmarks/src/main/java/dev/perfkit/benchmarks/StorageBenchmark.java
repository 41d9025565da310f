package dev.perfkit.benchmarks;

import dev.perfkit.Perf;
import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.storage.StoreOptions;
import dev.perfkit.traffic.storage.TrafficStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/*
 * What does one 100-row save cost on a table that already holds a service's worth of data? Setup fills the store with
 * prefillRows rows (100 real edges of the bundled run per save, one save per 5 minutes of data, so 200,000 rows are
 * about 7 days), then:
 *
 *   save100              appends one more run of 100 rows in one transaction (the table keeps growing during the run);
 *   save100WithRetention appends one run, then deletes in its own transaction what falls out of a window of
 *                        prefillRows rows (one run), as `run --retention` does: the table stays at prefillRows rows;
 *   edgeHistoryDay       the newest 288 records (a day of 5-minute runs) of one edge, the next edge each call;
 *   edgeHistoryAll       every record of one edge (prefillRows / 100 of them), the next edge each call.
 *
 * Every save stores new rows (timestamps move 5 minutes per call), with the indexes the queries need, durable against
 * a killed process (SQLite: WAL, synchronous=NORMAL). backend=sqlite is a real file in a temp directory;
 * backend=postgres is a fresh schema on the server of PERFKIT_TEST_PG_URL (see .ci/postgres.sh).
 *
 * Run (from the repository root, after mvn -B -q -pl benchmarks -am package -DskipTests):
 *   java -jar benchmarks/target/benchmarks.jar StorageBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 *   java -jar benchmarks/target/benchmarks.jar StorageBenchmark -p backend=postgres -f 1 -wi 3 -w 1s -i 5 -r 1s
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class StorageBenchmark {

    static final int ROWS_PER_SAVE = 100;
    static final Duration RUN_INTERVAL = Duration.ofMinutes(5);

    @Param({"sqlite"})
    String backend;

    @Param({"200000"})
    int prefillRows;

    Path dir;
    String schemaUrl;
    TrafficStore store;
    List<TrafficRecord> edges;
    LocalDateTime next;
    Duration retention;
    int edgeIndex;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        Perf.setEnabled(true);
        edges = List.copyOf(ReplaySource.bundledRuns().get(0).records().subList(0, ROWS_PER_SAVE));
        store = open();
        next = LocalDateTime.of(2025, 10, 1, 0, 0);
        int runs = prefillRows / ROWS_PER_SAVE;
        List<TrafficRun> batch = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            batch.add(nextRun());
            if (batch.size() == 100 || r == runs - 1) {
                store.saveBatch(batch);
                batch.clear();
            }
        }
        retention = RUN_INTERVAL.multipliedBy(Math.max(1, runs));
        if (schemaUrl != null) {
            // what autovacuum's ANALYZE does within a minute of a bulk load; without statistics the planner
            // seq-scans the retention DELETE instead of using the (timestamp, edge_id) key
            try (Connection c = DriverManager.getConnection(schemaUrl); Statement s = c.createStatement()) {
                s.execute("ANALYZE traffic_observations");
            }
        }
        if (store.count() != (long) runs * ROWS_PER_SAVE) {
            throw new IllegalStateException("prefill stored " + store.count() + " rows, expected "
                    + (long) runs * ROWS_PER_SAVE);
        }
    }

    private TrafficStore open() throws IOException, SQLException {
        if (backend.equals("sqlite")) {
            dir = Files.createTempDirectory("storage-bench");
            return TrafficStore.open(dir.resolve("bench.db"));
        }
        if (!backend.equals("postgres")) {
            throw new IllegalArgumentException("backend must be sqlite or postgres, got " + backend);
        }
        String url = System.getenv("PERFKIT_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("backend=postgres needs PERFKIT_TEST_PG_URL (source .ci/postgres.sh)");
        }
        String schema = "bench_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return TrafficStore.open(schemaUrl, StoreOptions.defaults());
    }

    /** The next run: the same 100 edges, 5 minutes after the previous run, one millisecond apart. */
    private TrafficRun nextRun() {
        LocalDateTime runTimestamp = next;
        next = next.plus(RUN_INTERVAL);
        List<TrafficRecord> records = new ArrayList<>(ROWS_PER_SAVE);
        for (int i = 0; i < ROWS_PER_SAVE; i++) {
            records.add(edges.get(i).withTimestamp(runTimestamp.plusNanos(i * 1_000_000L)));
        }
        return new TrafficRun(runTimestamp, records);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, SQLException {
        store.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (schemaUrl != null) {
            String schema = schemaUrl.substring(schemaUrl.lastIndexOf('=') + 1);
            try (Connection c = DriverManager.getConnection(schemaUrl); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Benchmark
    public int save100() {
        TrafficRun run = nextRun();
        return store.save(run.runTimestamp(), run.records());
    }

    @Benchmark
    public int save100WithRetention() {
        TrafficRun run = nextRun();
        return store.save(run.runTimestamp(), run.records()) + store.deleteOlderThan(retention, run.runTimestamp());
    }

    @Benchmark
    public int edgeHistoryDay() {
        return edgeHistory(288);
    }

    @Benchmark
    public int edgeHistoryAll() {
        return edgeHistory(prefillRows / ROWS_PER_SAVE + 1);
    }

    private int edgeHistory(int limit) {
        TrafficRecord edge = edges.get(edgeIndex);
        edgeIndex = edgeIndex + 1 == edges.size() ? 0 : edgeIndex + 1;
        int found = store.edgeHistory(edge.nodeAId(), edge.nodeBId(), limit).size();
        if (found != Math.min(limit, prefillRows / ROWS_PER_SAVE)) {
            throw new IllegalStateException("edge history of " + edge.nodeAId() + " -> " + edge.nodeBId() + " has "
                    + found + " records, expected " + Math.min(limit, prefillRows / ROWS_PER_SAVE));
        }
        return found;
    }
}

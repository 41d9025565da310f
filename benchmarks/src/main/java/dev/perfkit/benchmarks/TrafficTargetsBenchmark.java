package dev.perfkit.benchmarks;

import dev.perfkit.Perf;
import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.collect.SimulatedSource;
import dev.perfkit.traffic.features.FeatureEngineer;
import dev.perfkit.traffic.features.FeatureFrame;
import dev.perfkit.traffic.forecast.Forecast;
import dev.perfkit.traffic.forecast.TrafficForecaster;
import dev.perfkit.traffic.geo.Geo;
import dev.perfkit.traffic.model.TrafficColumns;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.storage.TrafficStore;
import dev.perfkit.traffic.validation.ValidationReport;
import dev.perfkit.traffic.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
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
 * How far under the inherited targets is each traffic operation? The targets (the system's first version): feature
 * engineering on 10k rows < 1 s, one Haversine < 1 ms, validating 1k rows < 500 ms, storing 100 rows < 100 ms, one
 * prediction < 10 ms; our bar is 100x under each, and 10x under the original Python code (ARCHITECTURE.md, "Performance bars").
 *
 * traffic-core is compile-time woven, so every call below also records into the perf registry, exactly as in
 * production. The *RecordingOff variants turn recording off at runtime (Perf.setEnabled(false): the advice then costs
 * one volatile read), which is the closest thing to an unwoven build and shows what the instrumentation adds.
 * Features.features sweeps 1k, 5k, 10k and 100k rows (simulated traffic, 100 edges, one run every 5 minutes) to show linear
 * scaling. Validation uses 1,000 rows of the real bundled runs; storage appends 100 real rows per call to a real
 * SQLite file (WAL, synchronous=NORMAL: durable against a killed process), so the table grows during the run as it
 * does in service; predictions use a forecaster fed with the 12 real runs.
 *
 * Run (from the repository root, after mvn -pl benchmarks -am package):
 *   java -jar benchmarks/target/benchmarks.jar TrafficTargetsBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TrafficTargetsBenchmark {

    private static final int MASK = 1023;

    double[] lats;
    double[] lons;
    int point;
    List<TrafficRecord> validationInput;
    Validator validator;
    TrafficForecaster forecaster;
    int[] horizons;
    int edge;

    @Setup(Level.Trial)
    public void setUp() {
        Perf.setEnabled(true);
        SplittableRandom random = new SplittableRandom(11);
        lats = new double[MASK + 1];
        lons = new double[MASK + 1];
        for (int i = 0; i <= MASK; i++) {
            lats[i] = 10.70 + random.nextDouble() * 0.12;
            lons[i] = 106.62 + random.nextDouble() * 0.12;
        }

        List<TrafficRun> runs = ReplaySource.bundledRuns();
        List<TrafficRecord> all = new ArrayList<>();
        runs.forEach(run -> all.addAll(run.records()));
        validationInput = List.copyOf(all.subList(0, 1_000));
        validator = new Validator();

        forecaster = TrafficForecaster.builder(ReplaySource.bundled().network().edgeCount()).build();
        for (TrafficRun run : runs) {
            forecaster.observe(TrafficColumns.of(run.records(), ReplaySource.bundled().network()));
        }
        horizons = TrafficForecaster.DEFAULT_HORIZONS_MINUTES.clone();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Perf.setEnabled(true);
    }

    @Benchmark
    public double haversine() {
        int i = point++ & MASK;
        int j = (i + 1) & MASK;
        return Geo.haversineKm(lats[i], lons[i], lats[j], lons[j]);
    }

    /**
     * Baseline for {@link #haversine}: the formula {@code Geo.haversineKm} had before its series path (two sin, two
     * cos, atan2 and sqrt for every pair), validated and sampled the same way, so that the two compare in one run.
     */
    @Benchmark
    public double haversinePreviousFormula() {
        int i = point++ & MASK;
        int j = (i + 1) & MASK;
        return PreviousGeo.haversineKm(lats[i], lons[i], lats[j], lons[j]);
    }

    /** The previous Haversine formula, woven with the same {@code @Timed} as {@code Geo.haversineKm}. */
    public static final class PreviousGeo {
        static final String NAME = "bench.geo.haversine_previous_formula";

        private PreviousGeo() {
        }

        @dev.perfkit.annotation.Timed(value = NAME, target = "1ms", sampleOneIn = 64)
        public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
            Geo.requireLatitude("lat1", lat1);
            Geo.requireLongitude("lon1", lon1);
            Geo.requireLatitude("lat2", lat2);
            Geo.requireLongitude("lon2", lon2);
            double phi1 = Math.toRadians(lat1);
            double phi2 = Math.toRadians(lat2);
            double sinHalfDeltaPhi = Math.sin((phi2 - phi1) * 0.5);
            double sinHalfDeltaLambda = Math.sin(Math.toRadians(lon2 - lon1) * 0.5);
            double a = sinHalfDeltaPhi * sinHalfDeltaPhi
                    + Math.cos(phi1) * Math.cos(phi2) * sinHalfDeltaLambda * sinHalfDeltaLambda;
            a = Math.min(1.0, Math.max(0.0, a));
            return 2.0 * Geo.EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(1.0 - a));
        }
    }

    @Benchmark
    public ValidationReport validate1k() {
        return validator.validate(validationInput);
    }

    @Benchmark
    public double predictOne() {
        // Wraps without overflow: `edge++ % count` turns negative after 2^31 calls (a few seconds at 3 ns a call).
        int current = edge;
        edge = current + 1 == forecaster.edgeCount() ? 0 : current + 1;
        return forecaster.predict(current, 15);
    }

    @Benchmark
    public Forecast predictAllEdgesFourHorizons() {
        return forecaster.predictAll(horizons);
    }

    /**
     * Feature engineering (temporal, spatial and lag features) over 1k to 100k rows: all 46 columns, and only the
     * three columns the original Python function builds (hour, day_of_week, is_weekend), for the side-by-side.
     *
     * <p>The fork runs on a fixed, pre-touched heap, as a server is usually run: a build at 100k rows allocates 41 MB
     * (its output), and on a growing heap the first use of each newly committed region costs a page fault per 4 KiB
     * page, which on these VMs made builds 10x slower for one to two seconds at a random point of the run, in the
     * warm-up or in the measurement.
     */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
    @State(Scope.Benchmark)
    public static class Features {
        @Param({"1000", "5000", "10000", "100000"})
        int rows;

        TrafficColumns input;
        FeatureEngineer engineer;

        @Setup(Level.Trial)
        public void setUp() {
            Perf.setEnabled(true);
            int edges = 100;
            input = SimulatedSource.builder(edges).seed(7).build().collectColumns(rows / edges);
            engineer = new FeatureEngineer();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            Perf.setEnabled(true);
        }

        @Benchmark
        public FeatureFrame features() {
            return engineer.build(input);
        }

        @Benchmark
        public FeatureFrame featuresPythonColumns() {
            return engineer.build(input, PYTHON_COLUMNS);
        }
    }

    /** The columns of the original Python feature function. */
    static final List<String> PYTHON_COLUMNS = List.of("hour", "day_of_week", "is_weekend");

    /** Features with recording off (Perf.setEnabled(false)). */
    @Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
    @State(Scope.Benchmark)
    public static class FeaturesRecordingOff extends Features {
        @Override
        @Setup(Level.Trial)
        public void setUp() {
            super.setUp();
            Perf.setEnabled(false);
        }
    }

    /**
     * The forecast benchmarks with the time-of-day profile taking part (the bundled runs fed again one and two days
     * later, so the history spans three days), as in a pipeline that has run for three days: predictions then blend
     * in the profile's mean of the target's time-of-day bin.
     */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    @State(Scope.Benchmark)
    public static class ForecastProfileActive {
        TrafficForecaster forecaster;
        int[] horizons;
        int edge;

        @Setup(Level.Trial)
        public void setUp() {
            Perf.setEnabled(true);
            forecaster = TrafficForecaster.builder(ReplaySource.bundled().network().edgeCount()).build();
            for (int day = 0; day < 3; day++) {
                for (TrafficRun run : ReplaySource.bundledRuns()) {
                    TrafficColumns columns = TrafficColumns.of(run.records(), ReplaySource.bundled().network());
                    for (int row = 0; row < columns.size(); row++) {
                        if (columns.edgeIndex(row) < forecaster.edgeCount()) {
                            forecaster.observe(columns.edgeIndex(row), columns.epochSecond(row) + day * 86_400L,
                                    columns.speedKmh(row));
                        }
                    }
                }
            }
            if (!forecaster.profileActive()) {
                throw new IllegalStateException("the profile should take part after three days: " + forecaster);
            }
            horizons = TrafficForecaster.DEFAULT_HORIZONS_MINUTES.clone();
        }

        @Benchmark
        public double predictOne() {
            int current = edge;
            edge = current + 1 == forecaster.edgeCount() ? 0 : current + 1;
            return forecaster.predict(current, 15);
        }

        @Benchmark
        public Forecast predictAllEdgesFourHorizons() {
            return forecaster.predictAll(horizons);
        }
    }

    /** Recording off: the same calls with Perf.setEnabled(false). */
    @State(Scope.Benchmark)
    public static class RecordingOff extends TrafficTargetsBenchmark {
        @Override
        @Setup(Level.Trial)
        public void setUp() {
            super.setUp();
            Perf.setEnabled(false);
        }
    }

    /**
     * Storing 100 real rows per call, one transaction each, into a real SQLite file that grows during the run. Its own
     * state so that the row-count sweep above does not multiply it.
     */
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(1)
    @State(Scope.Benchmark)
    public static class Storage {
        Path dir;
        TrafficStore store;
        List<TrafficRecord> hundredRows;
        LocalDateTime runTimestamp;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            Perf.setEnabled(true);
            dir = Files.createTempDirectory("traffic-bench");
            store = TrafficStore.open(dir.resolve("bench.db"));
            hundredRows = List.copyOf(ReplaySource.bundledRuns().get(0).records().subList(0, 100));
            runTimestamp = LocalDateTime.of(2025, 10, 30, 0, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        @Benchmark
        public int save100() {
            runTimestamp = runTimestamp.plusSeconds(1);
            // new timestamps per call: the store keeps one record per (edge, timestamp) and skips repeats
            List<TrafficRecord> rows = new ArrayList<>(hundredRows.size());
            for (int i = 0; i < hundredRows.size(); i++) {
                rows.add(hundredRows.get(i).withTimestamp(runTimestamp.plusNanos(i * 1_000L)));
            }
            return store.save(runTimestamp, rows);
        }
    }
}

package dev.perfkit.traffic.features;

import com.sun.management.ThreadMXBean;
import dev.perfkit.Perf;
import dev.perfkit.traffic.collect.SimulatedSource;
import dev.perfkit.traffic.model.TrafficColumns;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * The column engine against the row-at-a-time implementation it replaced ({@link ReferenceFeatures}), in one JVM,
 * the two calls interleaved: a ratio that holds on a machine shared with other work, where JMH's absolute figures do
 * not. Reports the best of N wall times of the engine as it runs (on two cores from 4,096 rows), and the best of N
 * thread CPU times of the engine held to the calling thread, of the reference, and of the engine building only the
 * three columns of the Python feature function: CPU time counts the work, whatever else the machine runs. Recording
 * off. Not a test; run from the repository root after
 * {@code mvn -B -q -pl benchmarks -am package -DskipTests} and {@code mvn -B -q -pl traffic-core -am test-compile}:
 * <pre>
 * java -cp traffic-core/target/test-classes:benchmarks/target/benchmarks.jar \
 *      dev.perfkit.traffic.features.FeatureEngineComparison
 * </pre>
 */
public final class FeatureEngineComparison {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FeatureEngineComparison() {
    }

    public static void main(String[] args) {
        Perf.setEnabled(false);
        FeatureEngineer engineer = new FeatureEngineer();
        List<String> pythonColumns = List.of("hour", "day_of_week", "is_weekend");
        System.out.printf(Locale.ROOT, "%8s  %14s  %16s  %18s  %16s  %10s%n", "rows", "engine wall us",
                "engine 1-thread", "reference 1-thread", "3 columns 1-thr", "ratio cpu");
        for (int rows : new int[] {1_000, 5_000, 10_000, 100_000}) {
            TrafficColumns input = SimulatedSource.builder(100).seed(7).build().collectColumns(rows / 100);
            long wall = Long.MAX_VALUE;
            long[] engine = {Long.MAX_VALUE};
            long[] reference = {Long.MAX_VALUE};
            long[] three = {Long.MAX_VALUE};
            int repetitions = rows >= 100_000 ? 40 : 200;
            long sink = 0;
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                sink += engineer.build(input).rowCount();
                wall = Math.min(wall, System.nanoTime() - start);
                sink += cpu(engine, () -> engineer.buildOnThreads(input, 1).rowCount());
                sink += cpu(reference, () -> ReferenceFeatures.build(engineer, input).length);
                sink += cpu(three, () -> engineer.buildOnThreads(input, pythonColumns, 1).rowCount());
            }
            System.out.printf(Locale.ROOT, "%8d  %14.1f  %13.1f us  %15.1f us  %13.1f us  %9.2fx%s%n", rows,
                    wall / 1e3, engine[0] / 1e3, reference[0] / 1e3, three[0] / 1e3,
                    (double) reference[0] / engine[0], sink == 42 ? " " : "");
        }
    }

    /** Runs once on this thread and keeps its best thread CPU time in {@code best[0]}, ns. */
    private static long cpu(long[] best, java.util.function.IntSupplier work) {
        long start = THREADS.getCurrentThreadCpuTime();
        long result = work.getAsInt();
        best[0] = Math.min(best[0], THREADS.getCurrentThreadCpuTime() - start);
        return result;
    }
}

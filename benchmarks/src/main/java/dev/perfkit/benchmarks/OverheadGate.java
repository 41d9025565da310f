package dev.perfkit.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The CI gate on the recording hot path, robust on a noisy 2-core machine: in one JMH run of
 * {@code OverheadBenchmark} with {@code -prof gc}, {@code timedWoven} and {@code stopwatch} allocate nothing
 * (deterministic: any object per call is at least 16 B/op, JMH's own noise is below 0.1 B/op), and
 * {@code timedWoven / clockFloor} of the same run stays under a generous bound (the measured ratio is 1.2-1.4x).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'OverheadBenchmark\.(clockFloor|timedWoven|stopwatch)$' \
 *      -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff gate.json
 * java -cp benchmarks/target/benchmarks.jar dev.perfkit.benchmarks.OverheadGate gate.json
 * </pre>
 *
 * <p>Exit status: 0 when both checks pass, 1 when one fails (the message names the benchmark and the figures), 2 on a
 * missing or unreadable result file or a missing benchmark.
 */
public final class OverheadGate {

    /** {@code timedWoven} may cost at most this many times {@code clockFloor} of the same run. */
    static final double MAX_RATIO_TO_CLOCK_FLOOR = 2.5;
    /** Allocation per call above which a benchmark counts as allocating. */
    static final double MAX_BYTES_PER_OP = 0.5;
    private static final String PREFIX = "dev.perfkit.benchmarks.OverheadBenchmark.";

    private OverheadGate() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 1) {
            err.println("usage: OverheadGate JMH-RESULT.json (a run of OverheadBenchmark with -prof gc -rf json)");
            return 2;
        }
        List<JmhResult> results;
        try {
            results = JmhResult.read(Path.of(args[0]));
        } catch (IOException | RuntimeException e) {
            err.println("OverheadGate: cannot read " + args[0] + ": " + e.getMessage());
            return 2;
        }
        Optional<JmhResult> floor = find(results, "clockFloor");
        Optional<JmhResult> timed = find(results, "timedWoven");
        Optional<JmhResult> stopwatch = find(results, "stopwatch");
        if (floor.isEmpty() || timed.isEmpty() || stopwatch.isEmpty()) {
            err.println("OverheadGate: " + args[0] + " lacks one of OverheadBenchmark.clockFloor, timedWoven, "
                    + "stopwatch (1 thread)");
            return 2;
        }
        boolean passed = true;
        for (JmhResult allocating : List.of(timed.get(), stopwatch.get())) {
            double bytes = allocating.allocBytesPerOp();
            String name = allocating.benchmark().substring(PREFIX.length());
            if (Double.isNaN(bytes)) {
                err.println("FAILED " + name + ": no gc.alloc.rate.norm in the run (run JMH with -prof gc)");
                passed = false;
            } else if (bytes > MAX_BYTES_PER_OP) {
                err.printf(Locale.ROOT, "FAILED %s allocates %.2f B/op (allowed: %.1f); the recording path must not "
                        + "allocate%n", name, bytes, MAX_BYTES_PER_OP);
                passed = false;
            } else {
                out.printf(Locale.ROOT, "ok     %s allocates %.3f B/op%n", name, bytes);
            }
        }
        double ratio = timed.get().score() / floor.get().score();
        if (ratio > MAX_RATIO_TO_CLOCK_FLOOR) {
            err.printf(Locale.ROOT, "FAILED timedWoven costs %.1f ns/op = %.2fx clockFloor %.1f ns/op (allowed: %.1fx)%n",
                    timed.get().score(), ratio, floor.get().score(), MAX_RATIO_TO_CLOCK_FLOOR);
            passed = false;
        } else {
            out.printf(Locale.ROOT, "ok     timedWoven costs %.1f ns/op = %.2fx clockFloor %.1f ns/op (allowed: %.1fx)%n",
                    timed.get().score(), ratio, floor.get().score(), MAX_RATIO_TO_CLOCK_FLOOR);
        }
        return passed ? 0 : 1;
    }

    private static Optional<JmhResult> find(List<JmhResult> results, String method) {
        return results.stream()
                .filter(r -> r.benchmark().equals(PREFIX + method) && r.threads() == 1 && r.label() == null)
                .findFirst();
    }
}

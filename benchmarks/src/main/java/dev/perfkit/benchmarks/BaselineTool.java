package dev.perfkit.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks (or those matching a regex) and saves the JMH JSON as a named baseline, or compares the run with
 * a saved baseline; or compares two existing JMH JSON files without running anything. See {@link #USAGE} and
 * {@link BaselineComparison} for how scores are compared.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.perfkit.benchmarks.BaselineTool --save main OverheadBenchmark
 * java -cp benchmarks/target/benchmarks.jar dev.perfkit.benchmarks.BaselineTool --compare main OverheadBenchmark
 * java -cp benchmarks/target/benchmarks.jar dev.perfkit.benchmarks.BaselineTool --compare-files old.json new.json
 * </pre>
 *
 * <p>Exit status: 0 when nothing regressed, {@value #EXIT_REGRESSED} when a score regressed beyond the tolerance,
 * {@value #EXIT_USAGE} on bad arguments or a missing baseline, {@value #EXIT_FAILED} when JMH or file I/O failed.
 */
public final class BaselineTool {

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 3;
    static final int EXIT_REGRESSED = 4;
    static final double DEFAULT_TOLERANCE = 0.15;
    static final String DEFAULT_DIR = "benchmarks/baselines";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    static final String USAGE = """
            Usage: BaselineTool [options] [REGEX...] [-- JMH-OPTIONS...]
              Runs the JMH benchmarks matching REGEX (all when none) with JSON results, then:
              --save NAME            saves the run's JMH JSON as DIR/NAME.json
              --compare NAME|FILE    compares the run with DIR/NAME.json (or FILE.json); checked before running
              --compare-files A B    compares B (current) with A (baseline), both JMH JSON files; runs nothing
              --dir DIR              baselines directory (default benchmarks/baselines)
              --tolerance X          relative tolerance (default 0.15 = 15% worse still passes)
              --result FILE          where to write this run's JMH JSON (default: a temporary file)
              --forks N  --warmup-iterations N  --iterations N
              --time DUR             measurement time per iteration, e.g. 1s, 200ms
              --warmup-time DUR      warm-up time per iteration
              --prof NAME            adds a JMH profiler, e.g. gc (repeatable)
              -- JMH-OPTIONS         anything after -- goes to JMH as on its command line (e.g. -t 2 -p timerCount=10)
            Scores of a class with a clockFloor benchmark are compared relative to clockFloor of the same run (same
            threads and params); others absolutely. Exit 0 = no regression, 4 = regression, 2 = usage, 3 = failure.
            """;

    private BaselineTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns the exit status instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("BaselineTool: " + e.getMessage());
            err.print(USAGE);
            return EXIT_USAGE;
        }
        if (arguments.help) {
            out.print(USAGE);
            return EXIT_OK;
        }
        try {
            if (arguments.compareFiles != null) {
                return compare(arguments.compareFiles.get(0), arguments.compareFiles.get(1), arguments.tolerance,
                        out, err);
            }
            return runAndCompare(arguments, out, err);
        } catch (IOException | RuntimeException e) {
            err.println("BaselineTool: " + e);
            return EXIT_FAILED;
        }
    }

    private static int compare(Path baselineFile, Path currentFile, double tolerance, PrintStream out,
                               PrintStream err) throws IOException {
        for (Path file : List.of(baselineFile, currentFile)) {
            if (!Files.isRegularFile(file)) {
                err.println("BaselineTool: no such JMH JSON file: " + file);
                return EXIT_USAGE;
            }
        }
        BaselineComparison comparison = BaselineComparison.compare(JmhResult.read(baselineFile),
                JmhResult.read(currentFile), tolerance);
        out.println("Baseline: " + baselineFile);
        out.println("Current:  " + currentFile);
        out.print(comparison.render());
        return comparison.hasRegression() ? EXIT_REGRESSED : EXIT_OK;
    }

    private static int runAndCompare(Arguments arguments, PrintStream out, PrintStream err) throws IOException {
        Path baselineFile = arguments.compare == null ? null : baselinePath(arguments.dir, arguments.compare);
        if (baselineFile != null && !Files.isRegularFile(baselineFile)) {
            err.println("BaselineTool: no baseline " + baselineFile + " (save one first with --save NAME)");
            return EXIT_USAGE;
        }
        Path resultFile = arguments.result != null ? arguments.result
                : Files.createTempFile("perfkit-jmh-", ".json");
        ChainedOptionsBuilder options = new OptionsBuilder();
        boolean jmhArgsInclude = false;
        if (!arguments.jmhArgs.isEmpty()) {
            try {
                CommandLineOptions jmhOptions = new CommandLineOptions(arguments.jmhArgs.toArray(String[]::new));
                options.parent(jmhOptions);
                jmhArgsInclude = !jmhOptions.getIncludes().isEmpty();
            } catch (CommandLineOptionException e) {
                err.println("BaselineTool: JMH options after --: " + e.getMessage());
                return EXIT_USAGE;
            }
        }
        for (String include : arguments.includes) {
            options.include(include);
        }
        if (arguments.includes.isEmpty() && !jmhArgsInclude) {
            options.include(".*");
        }
        if (arguments.forks != null) {
            options.forks(arguments.forks);
        }
        if (arguments.warmupIterations != null) {
            options.warmupIterations(arguments.warmupIterations);
        }
        if (arguments.iterations != null) {
            options.measurementIterations(arguments.iterations);
        }
        if (arguments.time != null) {
            options.measurementTime(arguments.time);
        }
        if (arguments.warmupTime != null) {
            options.warmupTime(arguments.warmupTime);
        }
        for (String profiler : arguments.profilers) {
            options.addProfiler(profiler);
        }
        options.shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(resultFile.toString());
        try {
            new Runner(options.build()).run();
        } catch (RunnerException e) {
            err.println("BaselineTool: JMH failed: " + e.getMessage());
            return EXIT_FAILED;
        }
        out.println("JMH JSON: " + resultFile);
        int status = EXIT_OK;
        if (baselineFile != null) {
            status = compare(baselineFile, resultFile, arguments.tolerance, out, err);
        }
        if (arguments.save != null) {
            Path saved = baselinePath(arguments.dir, arguments.save);
            Files.createDirectories(saved.toAbsolutePath().getParent());
            Files.copy(resultFile, saved, StandardCopyOption.REPLACE_EXISTING);
            out.println("Saved baseline: " + saved);
        }
        return status;
    }

    /** A bare NAME lives in DIR as NAME.json; anything that looks like a path is taken as one. */
    static Path baselinePath(Path dir, String nameOrFile) {
        if (nameOrFile.endsWith(".json") || nameOrFile.contains("/")) {
            return Path.of(nameOrFile);
        }
        return dir.resolve(nameOrFile + ".json");
    }

    /** Parsed command line. */
    static final class Arguments {
        boolean help;
        String save;
        String compare;
        List<Path> compareFiles;
        Path dir = Path.of(DEFAULT_DIR);
        double tolerance = DEFAULT_TOLERANCE;
        Path result;
        Integer forks;
        Integer warmupIterations;
        Integer iterations;
        TimeValue time;
        TimeValue warmupTime;
        final List<String> profilers = new ArrayList<>();
        final List<String> includes = new ArrayList<>();
        final List<String> jmhArgs = new ArrayList<>();

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "-h", "--help" -> a.help = true;
                    case "--save" -> a.save = name(arg, value(args, ++i, arg));
                    case "--compare" -> a.compare = value(args, ++i, arg);
                    case "--compare-files" -> {
                        Path baseline = Path.of(value(args, ++i, arg));
                        a.compareFiles = List.of(baseline, Path.of(value(args, ++i, arg)));
                    }
                    case "--dir" -> a.dir = Path.of(value(args, ++i, arg));
                    case "--tolerance" -> a.tolerance = tolerance(value(args, ++i, arg));
                    case "--result" -> a.result = Path.of(value(args, ++i, arg));
                    case "--forks" -> a.forks = count(arg, value(args, ++i, arg), 0);
                    case "--warmup-iterations" -> a.warmupIterations = count(arg, value(args, ++i, arg), 0);
                    case "--iterations" -> a.iterations = count(arg, value(args, ++i, arg), 1);
                    case "--time" -> a.time = duration(arg, value(args, ++i, arg));
                    case "--warmup-time" -> a.warmupTime = duration(arg, value(args, ++i, arg));
                    case "--prof" -> a.profilers.add(value(args, ++i, arg));
                    case "--" -> {
                        a.jmhArgs.addAll(List.of(args).subList(i + 1, args.length));
                        i = args.length;
                    }
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + arg
                                    + " (JMH's own options go after --)");
                        }
                        a.includes.add(arg);
                    }
                }
            }
            if (a.compareFiles != null && (a.save != null || a.compare != null || !a.includes.isEmpty())) {
                throw new IllegalArgumentException("--compare-files runs nothing: it cannot be combined with --save, "
                        + "--compare or a benchmark regex");
            }
            return a;
        }

        private static String value(String[] args, int index, String option) {
            if (index >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[index];
        }

        private static String name(String option, String value) {
            if (!NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(option + " NAME must match " + NAME.pattern() + ", was '" + value
                        + "'");
            }
            return value;
        }

        private static double tolerance(String value) {
            double tolerance;
            try {
                tolerance = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tolerance must be a number such as 0.15, was '" + value + "'");
            }
            if (!(tolerance >= 0 && tolerance <= 10)) {
                throw new IllegalArgumentException("--tolerance must be in [0, 10] (0.15 = 15%), was " + value);
            }
            return tolerance;
        }

        private static int count(String option, String value, int minimum) {
            try {
                int n = Integer.parseInt(value);
                if (n >= minimum) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be an integer >= " + minimum + ", was '" + value + "'");
        }

        private static TimeValue duration(String option, String value) {
            try {
                return TimeValue.fromString(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(option + " must be a duration such as 1s or 200ms, was '" + value
                        + "'");
            }
        }
    }
}

package dev.perfkit.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the benchmarks (or those matching a regex) and saves the JMH JSON as a named baseline, or compares the run with
 * a saved baseline; or compares two existing JMH JSON files without running anything. See {@code --help} and
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
 *
 * <p>Design note: picocli parses everything before the first {@code --}; everything after it is handed to JMH's own
 * {@link CommandLineOptions} untouched ({@link #run} splits the arguments before picocli sees them, so JMH options
 * such as {@code -t 2} never meet our option names or picocli's end-of-options handling).
 */
@Command(name = "BaselineTool", sortOptions = false,
        customSynopsis = "BaselineTool [OPTIONS] [REGEX...] [-- JMH-OPTIONS...]",
        description = {"Runs the JMH benchmarks matching REGEX (all when none) with JSON results, then saves and/or "
                + "compares them; or compares two JMH JSON files and runs nothing. Anything after -- "
                + "(JMH-OPTIONS) goes to JMH as on its command line, e.g. -- -t 2 -p timerCount=10.",
            "",
            "Scores of a class with a clockFloor benchmark are compared relative to clockFloor of the same run (same "
                    + "threads and params); others absolutely.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:no regression", "4:a score regressed beyond the tolerance",
            "2:usage: a bad option or value, a missing baseline or JMH JSON file",
            "3:failure: JMH or file I/O failed"})
public final class BaselineTool implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILED = 3;
    static final int EXIT_REGRESSED = 4;
    static final String DEFAULT_TOLERANCE = "0.15";
    static final String DEFAULT_DIR = "benchmarks/baselines";
    static final String JMH_ARGS_DELIMITER = "--";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    @Option(names = "--save", paramLabel = "NAME", converter = NameConverter.class,
            description = "Saves the run's JMH JSON as DIR/NAME.json (NAME matches [A-Za-z0-9][A-Za-z0-9._-]*).")
    String save;

    @Option(names = "--compare", paramLabel = "NAME|FILE",
            description = "Compares the run with DIR/NAME.json (or FILE.json); checked before running.")
    String compare;

    @Option(names = "--compare-files", arity = "2", paramLabel = "A B", hideParamSyntax = true,
            description = "Compares B (current) with A (baseline), both JMH JSON files; runs nothing.")
    List<Path> compareFiles;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
            description = "Baselines directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = DEFAULT_TOLERANCE,
            converter = ToleranceConverter.class,
            description = "Relative tolerance, 0 to 10 (default: ${DEFAULT-VALUE} = 15%% worse still passes).")
    double tolerance;

    @Option(names = "--result", paramLabel = "FILE",
            description = "Where to write this run's JMH JSON (default: a temporary file).")
    Path result;

    @Option(names = "--forks", paramLabel = "N", converter = CountFromZero.class,
            description = "JMH forks, >= 0 (default: the benchmark's @Fork).")
    Integer forks;

    @Option(names = "--warmup-iterations", paramLabel = "N", converter = CountFromZero.class,
            description = "Warm-up iterations, >= 0 (default: the benchmark's @Warmup).")
    Integer warmupIterations;

    @Option(names = "--iterations", paramLabel = "N", converter = CountFromOne.class,
            description = "Measurement iterations, >= 1 (default: the benchmark's @Measurement).")
    Integer iterations;

    @Option(names = "--time", paramLabel = "DUR", converter = TimeValueConverter.class,
            description = "Measurement time per iteration, e.g. 1s, 200ms.")
    TimeValue time;

    @Option(names = "--warmup-time", paramLabel = "DUR", converter = TimeValueConverter.class,
            description = "Warm-up time per iteration, e.g. 1s, 200ms.")
    TimeValue warmupTime;

    @Option(names = "--prof", paramLabel = "NAME", description = "Adds a JMH profiler, e.g. gc (repeatable).")
    List<String> profilers = new ArrayList<>();

    @Parameters(paramLabel = "REGEX", description = "Benchmarks to run, as JMH regexes (all when none).")
    List<String> includes = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Prints this help and exits.")
    boolean help;

    /** Everything after the first {@code --}: set by {@link #run}, not by picocli. */
    List<String> jmhArgs = List.of();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    private BaselineTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns the exit status instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        int delimiter = Arrays.asList(args).indexOf(JMH_ARGS_DELIMITER);
        String[] ours = delimiter < 0 ? args : Arrays.copyOfRange(args, 0, delimiter);
        BaselineTool tool = new BaselineTool(out, err);
        tool.jmhArgs = delimiter < 0 ? List.of() : List.of(args).subList(delimiter + 1, args.length);
        CommandLine cli = new CommandLine(tool)
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setParameterExceptionHandler(BaselineTool::usageError)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("BaselineTool: " + e);
                    return EXIT_FAILED;
                });
        return cli.execute(ours);
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        String hint = e instanceof CommandLine.UnmatchedArgumentException ? " (JMH's own options go after --)" : "";
        err.println("BaselineTool: " + e.getMessage() + hint);
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        cli.usage(err);
        return EXIT_USAGE;
    }

    @Override
    public Integer call() throws IOException {
        if (compareFiles != null) {
            if (save != null || compare != null || !includes.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--compare-files runs nothing: it "
                        + "cannot be combined with --save, --compare or a benchmark regex");
            }
            if (compareFiles.size() != 2) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--compare-files takes exactly two "
                        + "files (given once), was " + compareFiles);
            }
            return compare(compareFiles.get(0), compareFiles.get(1), tolerance, out, err);
        }
        return runAndCompare();
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

    private int runAndCompare() throws IOException {
        Path baselineFile = compare == null ? null : baselinePath(dir, compare);
        if (baselineFile != null && !Files.isRegularFile(baselineFile)) {
            err.println("BaselineTool: no baseline " + baselineFile + " (save one first with --save NAME)");
            return EXIT_USAGE;
        }
        Path resultFile = result != null ? result
                : Files.createTempFile("perfkit-jmh-", ".json");
        ChainedOptionsBuilder options = new OptionsBuilder();
        boolean jmhArgsInclude = false;
        if (!jmhArgs.isEmpty()) {
            try {
                CommandLineOptions jmhOptions = new CommandLineOptions(jmhArgs.toArray(String[]::new));
                options.parent(jmhOptions);
                jmhArgsInclude = !jmhOptions.getIncludes().isEmpty();
            } catch (CommandLineOptionException e) {
                err.println("BaselineTool: JMH options after --: " + e.getMessage());
                return EXIT_USAGE;
            }
        }
        for (String include : includes) {
            options.include(include);
        }
        if (includes.isEmpty() && !jmhArgsInclude) {
            options.include(".*");
        }
        if (forks != null) {
            options.forks(forks);
        }
        if (warmupIterations != null) {
            options.warmupIterations(warmupIterations);
        }
        if (iterations != null) {
            options.measurementIterations(iterations);
        }
        if (time != null) {
            options.measurementTime(time);
        }
        if (warmupTime != null) {
            options.warmupTime(warmupTime);
        }
        for (String profiler : profilers) {
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
            status = compare(baselineFile, resultFile, tolerance, out, err);
        }
        if (save != null) {
            Path saved = baselinePath(dir, save);
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

    /** Reads {@code --tolerance}: a number in [0, 10]. */
    static final class ToleranceConverter implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double tolerance;
            try {
                tolerance = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("must be a number such as 0.15, was '" + value + "'");
            }
            if (!(tolerance >= 0 && tolerance <= 10)) {
                throw new CommandLine.TypeConversionException("must be in [0, 10] (0.15 = 15%), was " + value);
            }
            return tolerance;
        }
    }

    /** Reads a count of at least {@code minimum}. */
    abstract static class CountConverter implements CommandLine.ITypeConverter<Integer> {
        private final int minimum;

        CountConverter(int minimum) {
            this.minimum = minimum;
        }

        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= minimum) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new CommandLine.TypeConversionException("must be an integer >= " + minimum + ", was '" + value
                    + "'");
        }
    }

    /** {@code --forks}, {@code --warmup-iterations}: 0 or more. */
    static final class CountFromZero extends CountConverter {
        CountFromZero() {
            super(0);
        }
    }

    /** {@code --iterations}: 1 or more. */
    static final class CountFromOne extends CountConverter {
        CountFromOne() {
            super(1);
        }
    }

    /** Reads a JMH duration such as {@code 1s} or {@code 200ms}. */
    static final class TimeValueConverter implements CommandLine.ITypeConverter<TimeValue> {
        @Override
        public TimeValue convert(String value) {
            try {
                return TimeValue.fromString(value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("must be a duration such as 1s or 200ms, was '" + value
                        + "'");
            }
        }
    }

    /** Reads a baseline NAME: a file name without directories or {@code .json}. */
    static final class NameConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!NAME.matcher(value).matches()) {
                throw new CommandLine.TypeConversionException("NAME must match " + NAME.pattern() + ", was '" + value
                        + "'");
            }
            return value;
        }
    }
}

package dev.perfkit.examples.cli;

import dev.perfkit.Durations;
import dev.perfkit.Perf;
import dev.perfkit.PerfRegistry;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.export.TextReport;
import dev.perfkit.traffic.collect.DirectionsSource;
import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.pipeline.CycleSummary;
import dev.perfkit.traffic.pipeline.FileCycle;
import dev.perfkit.traffic.pipeline.TrafficPipeline;
import dev.perfkit.traffic.validation.ValidationReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}: one or more pipeline cycles, then the stage summary and the performance table. Holds the data
 * directory's {@link WriterLock} for its whole life; after every cycle it appends the interval histograms to
 * {@code DIR/metrics.hlog} and saves the call-tree profile, merged with earlier runs', to {@code DIR/profile.tsv}.
 * A write error fails the run (exit 1) naming the file and the cause.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs the instrumented pipeline (collect, validate, store, features, forecast) and prints the "
                + "stage summary and the performance table.")
final class RunCommand implements Callable<Integer> {

    static final String DEFAULT_DATA_DIR = PipelineOptions.DEFAULT_DATA_DIR;

    @CommandLine.ArgGroup(exclusive = true)
    Count count = new Count();

    static final class Count {
        @Option(names = "--once", description = "Run exactly one cycle.")
        boolean once;

        @Option(names = "--cycles", paramLabel = "N",
                description = "Run N cycles, one per --interval. With neither --once nor --cycles, cycles run until "
                        + "Ctrl-C or SIGTERM (the cycle in progress finishes, metrics are flushed).")
        Integer cycles;
    }

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "Pause between cycles, e.g. 500ms, 5s, 1m (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--input", paramLabel = "FILE",
            description = "A traffic file to process instead of a source: JSON (like the bundled runs) or CSV with a "
                    + "header, of any size: it is read twice, record by record, first to check it, then to store "
                    + "it in batches of " + FileCycle.DEFAULT_BATCH_ROWS + " rows, one transaction each. A row with "
                    + "a defective cell or failing validation is rejected and reported with its line, field and "
                    + "reason; the other rows are stored (exit 0). Structural damage (broken JSON, a bad header, "
                    + "bytes that are not UTF-8) fails the file (exit 1) and stores nothing. Progress goes to "
                    + "stderr every few seconds.")
    Path input;

    @Option(names = "--strict",
            description = "With --input: store nothing and exit 4 when any row is rejected.")
    boolean strict;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "Asia/Ho_Chi_Minh",
            description = "With --input: the time zone of timestamps without an offset (default: ${DEFAULT-VALUE}); "
                    + "timestamps with Z or an offset are taken as given.")
    ZoneId zone;

    @CommandLine.Mixin
    PipelineOptions pipeline;

    @Option(names = "--check-targets", description = "Exit with code 3 when a timer misses its target.")
    boolean checkTargets;

    @Option(names = "--target", paramLabel = "NAME=DURATION",
            description = "Sets the p99 target of the timer NAME (e.g. traffic.storage.save=2ms), replacing the "
                    + "annotation's; repeatable. With --check-targets, tightens or relaxes what the exit code checks.")
    Map<String, String> targets = new LinkedHashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private FileCycle.Check inputCheck;
    private List<FileCycle.RejectedRow> inputRejected;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch loopFinished = new CountDownLatch(1);
    private MetricsFiles files;

    @Override
    public Integer call() throws IOException, SQLException {
        checkOptions();
        PrintStream out = System.out;
        if (input != null) {
            inputCheck = InputFiles.check(input, zone);
            if (strict && inputCheck.rejectedRows() > 0) {
                out.printf("--strict: %d of %d rows of %s rejected; nothing stored%n", inputCheck.rejectedRows(),
                        inputCheck.totalRows(), input);
                printRejectedRows(out, inputCheck.firstRejected(), inputCheck.rejectedRows());
                return TrafficPerf.EXIT_REJECTED_ROWS;
            }
        }
        Files.createDirectories(pipeline.dataDir);
        try (WriterLock lock = WriterLock.acquire(pipeline.dataDir, pipeline.db, pipeline.wait)) {
            return runLocked(out);
        }
    }

    /** The cycles, with the data directory locked: metrics and profile saved after each cycle. */
    private Integer runLocked(PrintStream out) throws IOException {
        PerfRegistry registry = Perf.registry();
        applyTargets(registry);
        files = MetricsFiles.open(pipeline.dataDir, registry);
        Thread hook = new Thread(this::onShutdown, "traffic-perf-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CycleSummary last = null;
        int cyclesRun = 0;
        int edgeCount = 0;
        String database = null;
        Throwable failure = null;
        try (TrafficPipeline running = pipeline.openPipeline(openSource(), input == null)) {
            edgeCount = running.network().edgeCount();
            database = running.store().url();
            int planned = plannedCycles();
            while (planned < 0 || cyclesRun < planned) {
                if (input == null) {
                    last = running.runCycle();
                } else {
                    FileCycle.Result result = InputFiles.store(running, input, zone, inputCheck);
                    last = result.summary();
                    inputRejected = result.firstRejected();
                }
                cyclesRun++;
                files.flush();
                files.saveProfile(registry.profile());
                if (planned != 1) {
                    out.printf("cycle %d%s: %s collected=%d stored=%d rejected=%d forecasts=%d in %s%n", cyclesRun,
                            planned < 0 ? "" : "/" + planned, utc(last.runTimestamp()), last.rowsCollected(),
                            last.rowsStored(), last.rowsRejected(), last.forecastCount(),
                            Durations.format(last.totalNanos()));
                }
                if ((planned < 0 || cyclesRun < planned) && waitOrStop()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                files.flush();
                files.saveProfile(registry.profile());
            } catch (IOException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e); // the first failure is the one to report
            } finally {
                loopFinished.countDown();
                removeHook(hook);
            }
        }
        if (last != null) {
            printSummary(out, last, cyclesRun, edgeCount, database);
        }
        List<TimerSnapshot> snapshots = registry.snapshots();
        out.println();
        out.println("Performance (" + cyclesRun + (cyclesRun == 1 ? " cycle" : " cycles") + ", this process):");
        out.print(TextReport.render(snapshots));
        out.println("metrics appended to " + files.metricsLog() + "; profile in " + files.profileFile());
        return checkTargets && ReportCommand.anyMissed(snapshots) ? TrafficPerf.EXIT_TARGET_MISSED
                : TrafficPerf.EXIT_OK;
    }

    /**
     * Registers the timers named by {@code --target} before the pipeline runs: a woven method whose timer already
     * exists records into it, with the target given here.
     */
    private void applyTargets(PerfRegistry registry) {
        DurationConverter durations = new DurationConverter();
        targets.forEach((name, value) -> {
            Duration target;
            try {
                target = durations.convert(value);
            } catch (CommandLine.TypeConversionException e) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--target " + name + "=" + value + ": " + e.getMessage());
            }
            if (target.isZero() || target.isNegative()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--target " + name + "=" + value + ": the target must be positive");
            }
            registry.timerBuilder(name).target(target).register();
        });
    }

    private void checkOptions() {
        pipeline.check(spec.commandLine());
        if (input != null && pipeline.source != PipelineOptions.Source.replay) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--input cannot be combined with --source " + pipeline.source);
        }
        if (input != null && count.cycles != null && count.cycles != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--input runs exactly one cycle");
        }
        if (strict && input == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--strict applies to --input only");
        }
        if (count.cycles != null && count.cycles < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--cycles must be at least 1, was " + count.cycles);
        }
    }

    /** 1, N, or -1 for "until stopped". */
    private int plannedCycles() {
        if (count.once || input != null) {
            return 1;
        }
        return count.cycles != null ? count.cycles : -1;
    }

    private DirectionsSource openSource() throws IOException {
        if (input == null) {
            return pipeline.openSource(spec.commandLine());
        }
        // the file is stored batch by batch (FileCycle); the source only names the network
        return ReplaySource.of(RoadNetwork.hcmc(), List.of(new TrafficRun(inputCheck.runTimestamp(), List.of())));
    }

    /** Waits for the interval; true when a stop was requested meanwhile. */
    private boolean waitOrStop() {
        try {
            return stopRequested.await(interval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void onShutdown() {
        stopRequested.countDown();
        try {
            // Let the cycle in progress finish (its store transaction commits or rolls back as a whole).
            loopFinished.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            files.flush(); // nothing left when the loop finished; what the cycle recorded when it did not
        } catch (IOException e) {
            System.err.println("traffic-perf: " + e.getMessage());
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already shutting down: the hook is running or has run
        }
    }

    private void printSummary(PrintStream out, CycleSummary s, int cyclesRun, int edgeCount, String database) {
        out.println();
        out.printf("Last cycle: run %s (%s in Ho Chi Minh City) from %s%n", utc(s.runTimestamp()),
                CityTime.toLocal(s.runTimestamp(), CityTime.DEFAULT_ZONE), s.source());
        out.printf("  collected %d, valid %d, rejected %d, stored %d (database: %s)%n", s.rowsCollected(),
                s.rowsValid(), s.rowsRejected(), s.rowsStored(), database);
        out.printf("  retention %s: %d older rows deleted%n", RetentionConverter.describe(s.retention()),
                s.rowsDeleted());
        if (input == null && s.rowsCollected() < edgeCount) {
            out.printf("  partial collection: %d of the network's %d edges answered (see the WARN lines)%n",
                    s.rowsCollected(), edgeCount);
        }
        if (s.rowsShorterThanStraightLine() > 0) {
            out.printf("  %d valid rows report a road distance shorter than the straight line (kept)%n",
                    s.rowsShorterThanStraightLine());
        }
        Integer duplicates = s.rejectionReasons().get(TrafficPipeline.DUPLICATE_OF_STORED);
        if (duplicates != null) {
            out.printf("  %d rows already stored (same timestamp and edge) skipped as duplicates; none stored twice%n",
                    duplicates);
        }
        if (!s.rejectionReasons().isEmpty()) {
            out.println("  rejected by reason: " + s.rejectionReasons());
            if (inputRejected != null) {
                printRejectedRows(out, inputRejected, s.rowsRejected());
            } else {
                printRejectedRows(out, s.validation());
            }
        }
        out.printf("  features %d rows x %d columns; forecasts %d (horizons %s min, mean %.1f km/h, time-of-day "
                        + "profile %s)%n", s.featureRows(), s.featureColumns(), s.forecastCount(), s.horizonsMinutes(),
                s.meanForecastKmh(), s.profileActive() ? "on" : "off");
        StringBuilder stages = new StringBuilder("  time per stage:");
        s.stageNanos().forEach((stage, nanos) -> stages.append(' ').append(stage).append(' ')
                .append(Durations.format(nanos)).append(','));
        stages.append(" total ").append(Durations.format(s.totalNanos()));
        out.println(stages);
        if (cyclesRun > 1) {
            out.println("  (" + cyclesRun + " cycles run)");
        }
    }

    /** A UTC date-time of the model as ISO-8601 with {@code Z}. */
    private static String utc(LocalDateTime utcDateTime) {
        return utcDateTime + "Z";
    }

    private static void printRejectedRows(PrintStream out, List<FileCycle.RejectedRow> rows, long rejected) {
        for (FileCycle.RejectedRow row : rows) {
            out.printf("    record %d: %s%n", row.row() + 1, row.reasons().stream()
                    .map(ValidationReport.Issue::message).toList());
        }
        if (rejected > rows.size()) {
            out.printf("    ... %d more rejected rows%n", rejected - rows.size());
        }
    }

    private static void printRejectedRows(PrintStream out, ValidationReport report) {
        List<ValidationReport.RejectedRow> rows = report.rejectedRows();
        int shown = Math.min(rows.size(), 20);
        for (int i = 0; i < shown; i++) {
            ValidationReport.RejectedRow row = rows.get(i);
            out.printf("    record %d: %s%n", row.row() + 1, row.reasons().stream()
                    .map(ValidationReport.Issue::message).toList());
        }
        if (rows.size() > shown) {
            out.printf("    ... %d more rejected rows%n", rows.size() - shown);
        }
    }
}

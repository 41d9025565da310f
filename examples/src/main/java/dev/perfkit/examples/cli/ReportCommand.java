package dev.perfkit.examples.cli;

import dev.perfkit.TargetStatus;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.export.HistogramLog;
import dev.perfkit.export.JsonReport;
import dev.perfkit.export.PrometheusText;
import dev.perfkit.export.TextReport;
import dev.perfkit.profile.Profile;
import dev.perfkit.profile.SortKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code report}: reads the interval histograms that runs appended to {@code DIR/metrics.hlog} and prints them. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Prints the performance table from DIR/metrics.hlog (all runs merged), or the profile of "
                + "@Profiled calls.")
final class ReportCommand implements Callable<Integer> {

    enum Format { text, json, prometheus }

    /** Damaged records named one by one on stderr; the rest are counted. */
    private static final int MAX_DAMAGE_LINES = 20;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = RunCommand.DEFAULT_DATA_DIR,
            description = "Directory holding metrics.hlog (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--format", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--check-targets", description = "Exit with code 3 when a timer misses its target.")
    boolean checkTargets;

    @Option(names = "--profile", description = "Print the profile of @Profiled calls (DIR/profile.tsv) instead.")
    boolean profile;

    @Option(names = "--sort", defaultValue = "total", converter = SortKeyConverter.class,
            description = "Profile order: total, self, calls, cpu or alloc (default: ${DEFAULT-VALUE}).")
    SortKey sort;

    @Option(names = "--limit", defaultValue = "20", paramLabel = "N",
            description = "Profile rows to print (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--strict",
            description = "Exit 1 when a damaged record of the metrics log was skipped (without it, the damaged "
                    + "records are named on stderr, the rest reported, exit 0).")
    boolean strict;

    @Option(names = "--collapsed", paramLabel = "FILE",
            description = "Write the profile as collapsed stacks (frame;frame;frame selfNanos) to FILE.")
    Path collapsed;

    @Option(names = "--flamegraph", paramLabel = "FILE.svg",
            description = "Write the profile as a self-contained SVG flame graph to FILE.svg.")
    Path flamegraph;

    @Override
    public Integer call() throws IOException {
        if (profile || collapsed != null || flamegraph != null) {
            return profileReport();
        }
        Path log = dataDir.resolve(MetricsFiles.METRICS_LOG);
        if (!Files.isRegularFile(log)) {
            System.err.println("traffic-perf: no metrics log at " + log + " (run 'traffic-perf run' first)");
            return TrafficPerf.EXIT_FAILURE;
        }
        HistogramLog.Contents contents = HistogramLog.readChecked(log);
        List<TimerSnapshot> snapshots = contents.snapshots();
        List<HistogramLog.Damage> damaged = contents.damaged();
        int shown = Math.min(damaged.size(), MAX_DAMAGE_LINES);
        for (int i = 0; i < shown; i++) {
            System.err.println("traffic-perf: skipped a damaged record: " + damaged.get(i).message());
        }
        if (damaged.size() > shown) {
            System.err.println("traffic-perf: ... and " + (damaged.size() - shown) + " more damaged records");
        }
        if (!damaged.isEmpty()) {
            System.err.println("traffic-perf: " + damaged.size() + " damaged " + (damaged.size() == 1 ? "record"
                    : "records") + " of " + log + " skipped; the counts below leave them out"
                    + (strict ? " (--strict: exit 1)" : ""));
        }
        System.out.print(switch (format) {
            case text -> TextReport.render(snapshots);
            case json -> JsonReport.render(snapshots) + "\n";
            case prometheus -> PrometheusText.render(snapshots);
        });
        if (strict && !damaged.isEmpty()) {
            return TrafficPerf.EXIT_FAILURE;
        }
        return checkTargets && anyMissed(snapshots) ? TrafficPerf.EXIT_TARGET_MISSED : TrafficPerf.EXIT_OK;
    }

    private Integer profileReport() throws IOException {
        Path file = dataDir.resolve(MetricsFiles.PROFILE_FILE);
        if (!Files.isRegularFile(file)) {
            System.err.println("traffic-perf: no profile at " + file + " (run 'traffic-perf run' first)");
            return TrafficPerf.EXIT_FAILURE;
        }
        Profile loaded;
        try {
            loaded = MetricsFiles.readProfile(file);
        } catch (IOException e) {
            System.err.println("traffic-perf: " + e.getMessage());
            return TrafficPerf.EXIT_FAILURE;
        }
        if (collapsed != null) {
            Files.writeString(collapsed, loaded.collapsedStacks());
            System.out.println("collapsed stacks written to " + collapsed);
        }
        if (flamegraph != null) {
            Files.writeString(flamegraph, loaded.flameGraphSvg("traffic-perf profile (" + dataDir + ")"));
            System.out.println("flame graph written to " + flamegraph);
        }
        if (profile || (collapsed == null && flamegraph == null)) {
            System.out.print(loaded.table(sort, limit));
        }
        return TrafficPerf.EXIT_OK;
    }

    /** Reads total, self, calls, cpu or alloc. */
    static final class SortKeyConverter implements picocli.CommandLine.ITypeConverter<SortKey> {
        @Override
        public SortKey convert(String value) {
            try {
                return SortKey.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static boolean anyMissed(List<TimerSnapshot> snapshots) {
        return snapshots.stream().anyMatch(s -> s.targetStatus() == TargetStatus.MISSED);
    }
}

package dev.perfkit.examples.cli;

import dev.perfkit.TargetStatus;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.export.HistogramLog;
import dev.perfkit.export.JsonReport;
import dev.perfkit.export.PrometheusText;
import dev.perfkit.export.TextReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code report}: reads the interval histograms that runs appended to {@code DIR/metrics.hlog} and prints them. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Prints the performance table from DIR/metrics.hlog (all runs merged).")
final class ReportCommand implements Callable<Integer> {

    enum Format { text, json, prometheus }

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = RunCommand.DEFAULT_DATA_DIR,
            description = "Directory holding metrics.hlog (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--format", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--check-targets", description = "Exit with code 3 when a timer misses its target.")
    boolean checkTargets;

    @Override
    public Integer call() throws IOException {
        Path log = dataDir.resolve(RunCommand.METRICS_LOG);
        if (!Files.isRegularFile(log)) {
            System.err.println("traffic-perf: no metrics log at " + log + " (run 'traffic-perf run' first)");
            return TrafficPerf.EXIT_FAILURE;
        }
        List<TimerSnapshot> snapshots = HistogramLog.read(log);
        System.out.print(switch (format) {
            case text -> TextReport.render(snapshots);
            case json -> JsonReport.render(snapshots) + "\n";
            case prometheus -> PrometheusText.render(snapshots);
        });
        return checkTargets && anyMissed(snapshots) ? TrafficPerf.EXIT_TARGET_MISSED : TrafficPerf.EXIT_OK;
    }

    static boolean anyMissed(List<TimerSnapshot> snapshots) {
        return snapshots.stream().anyMatch(s -> s.targetStatus() == TargetStatus.MISSED);
    }
}

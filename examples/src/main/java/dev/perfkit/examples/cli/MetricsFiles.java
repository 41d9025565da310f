package dev.perfkit.examples.cli;

import dev.perfkit.IntervalReader;
import dev.perfkit.PerfRegistry;
import dev.perfkit.export.HistogramLog;
import dev.perfkit.profile.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a run leaves in its data directory besides the database: {@code metrics.hlog} (interval histograms, appended)
 * and {@code profile.tsv} (the call-tree profile, merged with earlier runs). Thread-safe.
 */
final class MetricsFiles {

    static final String METRICS_LOG = "metrics.hlog";
    static final String PROFILE_FILE = "profile.tsv";

    private final Path dataDir;
    private final IntervalReader intervals;

    MetricsFiles(Path dataDir, PerfRegistry registry) {
        this.dataDir = dataDir;
        this.intervals = registry.newIntervalReader();
    }

    Path metricsLog() {
        return dataDir.resolve(METRICS_LOG);
    }

    Path profileFile() {
        return dataDir.resolve(PROFILE_FILE);
    }

    /** Appends what was recorded since the previous flush. Reports a failure on stderr instead of throwing. */
    synchronized void flush() {
        try {
            HistogramLog.append(metricsLog(), intervals.read());
        } catch (IOException | RuntimeException e) {
            System.err.println("traffic-perf: could not append metrics to " + metricsLog() + ": " + e.getMessage());
        }
    }

    /** Merges {@code profile} into {@code profile.tsv}. Reports a failure on stderr instead of throwing. */
    synchronized void saveProfile(Profile profile) {
        Path file = profileFile();
        try {
            Profile merged = Files.exists(file) ? Profile.parseTsv(Files.readString(file)).merge(profile) : profile;
            Files.writeString(file, merged.toTsv());
        } catch (IOException | RuntimeException e) {
            System.err.println("traffic-perf: could not save the profile to " + file + ": " + e.getMessage());
        }
    }
}

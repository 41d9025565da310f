package dev.perfkit.examples.cli;

import dev.perfkit.IntervalReader;
import dev.perfkit.PerfRegistry;
import dev.perfkit.export.HistogramLog;
import dev.perfkit.profile.Profile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * What a run leaves in its data directory besides the database: {@code metrics.hlog} (interval histograms, appended)
 * and {@code profile.tsv} (the call-tree profile, merged with earlier runs). Thread-safe; the caller holds the data
 * directory's {@link WriterLock}, so no other process writes these files meanwhile.
 *
 * <p>The profile is saved after every cycle as the profile read at start-up plus this process's profile so far,
 * written to a temporary file, forced and moved over {@code profile.tsv} atomically: a kill loses at most the cycle in
 * progress, and a reader never sees half a file.
 */
final class MetricsFiles {

    static final String METRICS_LOG = "metrics.hlog";
    static final String PROFILE_FILE = "profile.tsv";

    private final Path dataDir;
    private final IntervalReader intervals;
    private final Profile earlierRuns;

    private MetricsFiles(Path dataDir, IntervalReader intervals, Profile earlierRuns) {
        this.dataDir = dataDir;
        this.intervals = intervals;
        this.earlierRuns = earlierRuns;
    }

    /**
     * Reads the profile of earlier runs, checked.
     *
     * @throws IOException when {@code profile.tsv} cannot be read or a line of it is invalid (the message names the
     *                     file, the line and the reason; the file is left as it is)
     */
    static MetricsFiles open(Path dataDir, PerfRegistry registry) throws IOException {
        Path file = dataDir.resolve(PROFILE_FILE);
        Profile earlier = Profile.empty();
        if (Files.exists(file)) {
            earlier = readProfile(file);
        }
        return new MetricsFiles(dataDir, registry.newIntervalReader(), earlier);
    }

    /** Reads and checks a saved profile; an invalid line fails with the file, the line and the reason. */
    static Profile readProfile(Path file) throws IOException {
        try {
            return Profile.parseTsv(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage() + " (the file is left as it is; fix the line or move "
                    + "the file away to start a new profile)", e);
        }
    }

    Path metricsLog() {
        return dataDir.resolve(METRICS_LOG);
    }

    Path profileFile() {
        return dataDir.resolve(PROFILE_FILE);
    }

    /**
     * Appends what was recorded since the previous flush, in one write forced to the device.
     *
     * @throws IOException naming the file and the cause (for example "No space left on device")
     */
    synchronized void flush() throws IOException {
        HistogramLog.append(metricsLog(), intervals.read());
    }

    /**
     * Saves the earlier runs' profile plus {@code profile} (this process's so far) over {@code profile.tsv},
     * atomically.
     *
     * @throws IOException naming the file and the cause
     */
    synchronized void saveProfile(Profile profile) throws IOException {
        Path file = profileFile();
        Path temp = dataDir.resolve(PROFILE_FILE + ".tmp");
        try {
            ByteBuffer bytes = ByteBuffer.wrap(earlierRuns.merge(profile).toTsv().getBytes(StandardCharsets.UTF_8));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory();
        } catch (IOException e) {
            throw new IOException("could not save the profile to " + file + ": " + (e.getMessage() != null
                    ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    /** Makes the rename durable where the platform allows forcing a directory (Linux, macOS). */
    private void forceDirectory() {
        try (FileChannel directory = FileChannel.open(dataDir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory; the rename is still atomic
        }
    }
}

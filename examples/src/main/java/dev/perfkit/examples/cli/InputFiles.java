package dev.perfkit.examples.cli;

import dev.perfkit.traffic.pipeline.FileCycle;
import dev.perfkit.traffic.pipeline.TrafficPipeline;
import dev.perfkit.traffic.validation.Validator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;

/**
 * {@code run --input}: the two passes of {@link FileCycle} with a progress line on stderr, and running out of memory
 * reported as a message naming the file and the heap instead of a stack trace.
 */
final class InputFiles {

    /** How often a progress line is printed while a file is read. */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

    private InputFiles() {
    }

    static FileCycle.Check check(Path file, ZoneId zone) throws IOException {
        ProgressLine progress = new ProgressLine(System.err, file);
        try {
            return FileCycle.check(file, zone, new Validator(), FileCycle.DEFAULT_BATCH_ROWS, progress);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, "checking", e);
        }
    }

    static FileCycle.Result store(TrafficPipeline pipeline, Path file, ZoneId zone, FileCycle.Check check)
            throws IOException {
        ProgressLine progress = new ProgressLine(System.err, file);
        try {
            return FileCycle.run(pipeline, file, zone, check, FileCycle.DEFAULT_BATCH_ROWS, progress);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file, "storing", e);
        }
    }

    private static IllegalStateException outOfMemory(Path file, String phase, OutOfMemoryError e) {
        return new IllegalStateException(String.format(Locale.ROOT, "out of memory while %s %s (%s) with a maximum "
                        + "heap of %d MiB; batches of %d rows fit in far less, so a single record is too large or "
                        + "the heap is too small for the pipeline: raise -Xmx", phase, file, e.getMessage(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), FileCycle.DEFAULT_BATCH_ROWS));
    }

    /** Prints {@code traffic-perf: FILE: checking|storing: ...} at most once per {@link #PROGRESS_INTERVAL}. */
    static final class ProgressLine implements FileCycle.Progress {
        private final PrintStream err;
        private final Path file;
        private final long startNanos = System.nanoTime();
        private long lastPrintNanos = startNanos;

        ProgressLine(PrintStream err, Path file) {
            this.err = err;
            this.file = file;
        }

        @Override
        public void batchDone(FileCycle.Phase phase, long rowsRead, long rowsStored, long rowsRejected) {
            long now = System.nanoTime();
            if (now - lastPrintNanos < PROGRESS_INTERVAL.toNanos()) {
                return;
            }
            lastPrintNanos = now;
            double seconds = (now - startNanos) / 1e9;
            long perSecond = Math.round(rowsRead / Math.max(seconds, 1e-9));
            if (phase == FileCycle.Phase.CHECK) {
                err.printf(Locale.ROOT, "traffic-perf: %s: checking: %d records read, %d rejected (%d records/s)%n",
                        file, rowsRead, rowsRejected, perSecond);
            } else {
                err.printf(Locale.ROOT, "traffic-perf: %s: storing: %d records read, %d stored, %d rejected "
                        + "(%d records/s)%n", file, rowsRead, rowsStored, rowsRejected, perSecond);
            }
        }
    }
}

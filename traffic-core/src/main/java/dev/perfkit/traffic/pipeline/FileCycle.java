package dev.perfkit.traffic.pipeline;

import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.features.FeatureFrame;
import dev.perfkit.traffic.forecast.Forecast;
import dev.perfkit.traffic.io.TrafficRowReader;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.TrafficColumns;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.storage.SaveResult;
import dev.perfkit.traffic.storage.TrafficStoreException;
import dev.perfkit.traffic.validation.ValidationReport;
import dev.perfkit.traffic.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * One pipeline cycle over a traffic file of any size, read in bounded batches: memory grows with the batch, never
 * with the file.
 *
 * <p>Design note. The file is read twice. {@link #check} reads and validates every batch without storing anything:
 * it finds structural damage (broken JSON, a truncated file, bytes that are not UTF-8) wherever it is, counts the
 * rejected rows for {@code --strict}, and finds the run timestamp (the earliest record) that every stored row
 * carries. Only then {@link #run} reads the file again and, per batch of {@code batchRows}, validates it and stores
 * its valid rows in one transaction; so a damaged file stores nothing, and a store that fails half-way leaves whole
 * batches. Validation is per batch: a row repeating a row of an earlier batch is not inserted again by the store and
 * counts as rejected {@value TrafficPipeline#DUPLICATE_OF_STORED}, as does a row the store already held. The
 * forecaster observes every batch; features and the forecast are built over the last batch (plus the pipeline's
 * recent history), retention runs once at the end.
 *
 * <p>Not thread-safe, like the pipeline it drives.
 */
public final class FileCycle {

    /** Rows read, validated and stored per batch (one transaction each) unless told otherwise. */
    public static final int DEFAULT_BATCH_ROWS = 10_000;
    /** Rejected rows kept with their reasons, in file order (the rest are counted). */
    public static final int REJECTED_ROWS_KEPT = 20;

    /** The two passes over the file. */
    public enum Phase { CHECK, STORE }

    /** Told after each batch; for a progress line. Called on the reading thread. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param rowsRead     rows read so far in this phase
         * @param rowsStored   rows stored so far (0 while checking)
         * @param rowsRejected rows rejected so far in this phase
         */
        void batchDone(Phase phase, long rowsRead, long rowsStored, long rowsRejected);
    }

    /**
     * A rejected row and every reason.
     *
     * @param row     0-based row of the file
     * @param reasons the issues ({@link ValidationReport.Issue#row()} is the row within its batch)
     */
    public record RejectedRow(long row, List<ValidationReport.Issue> reasons) {
        public RejectedRow {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * What {@link #check} found.
     *
     * @param source        the file, as in messages
     * @param totalRows     rows read
     * @param rejectedRows  rows validation rejects (per batch)
     * @param reasons       rejected rows per reason ({@code CODE:field})
     * @param firstRejected the first {@value #REJECTED_ROWS_KEPT} rejected rows
     * @param runTimestamp  the earliest record timestamp (UTC), or now when no row has one
     * @param size          the file's size in bytes when checked
     * @param modified      the file's modification time when checked
     */
    public record Check(String source, long totalRows, long rejectedRows, Map<String, Integer> reasons,
                        List<RejectedRow> firstRejected, LocalDateTime runTimestamp, long size, FileTime modified) {
        public Check {
            reasons = Map.copyOf(reasons);
            firstRejected = List.copyOf(firstRejected);
        }
    }

    /**
     * What {@link #run} did.
     *
     * @param summary       the cycle; its {@link CycleSummary#validation()} is the last batch's report
     * @param firstRejected the first {@value #REJECTED_ROWS_KEPT} rejected rows of the whole file
     */
    public record Result(CycleSummary summary, List<RejectedRow> firstRejected) {
        public Result {
            firstRejected = List.copyOf(firstRejected);
        }
    }

    private FileCycle() {
    }

    /**
     * Reads and validates the whole file in batches, storing nothing.
     *
     * @param batchRows rows per batch, at least 1
     * @throws dev.perfkit.traffic.io.TrafficInputException on structural damage, naming the file and line
     * @throws IOException                                  when the file cannot be read
     */
    public static Check check(Path file, ZoneId zone, Validator validator, int batchRows, Progress progress)
            throws IOException {
        requireBatchRows(batchRows);
        long size = Files.size(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Counts counts = new Counts();
        LocalDateTime earliest = null;
        try (TrafficRowReader rows = TrafficRowReader.open(file, zone)) {
            List<TrafficRecord> records = new ArrayList<>(batchRows);
            List<ValidationReport.Issue> defects = new ArrayList<>();
            long base = 0;
            while (rows.read(batchRows, records, defects) > 0) {
                ValidationReport report = validator.validate(records, defects);
                counts.rejected(base, report);
                for (TrafficRecord r : records) {
                    if (r.timestamp() != null && (earliest == null || r.timestamp().isBefore(earliest))) {
                        earliest = r.timestamp();
                    }
                }
                base += records.size();
                records.clear();
                defects.clear();
                progress.batchDone(Phase.CHECK, base, 0, counts.rejected);
            }
            return new Check(rows.source(), base, counts.rejected, counts.reasons, counts.first,
                    earliest != null ? earliest : LocalDateTime.now(ZoneOffset.UTC), size, modified);
        }
    }

    /**
     * Reads the checked file again and runs one cycle over it: per batch validate and store (one transaction each),
     * then retention, features and the forecast.
     *
     * @param check     what {@link #check} found for this file
     * @param batchRows rows per batch, at least 1
     * @throws IOException when the file changed since it was checked or cannot be read
     * @throws dev.perfkit.traffic.storage.TrafficStoreException when a store fails; batches stored before it stay
     */
    @Timed(TrafficMetrics.CYCLE_RUN)
    public static Result run(TrafficPipeline pipeline, Path file, ZoneId zone, Check check, int batchRows,
                             Progress progress) throws IOException {
        Objects.requireNonNull(check, "check");
        requireBatchRows(batchRows);
        if (Files.size(file) != check.size() || !Files.getLastModifiedTime(file).equals(check.modified())) {
            throw new IOException(check.source() + " changed after it was checked; nothing more read from it");
        }
        LocalDateTime runTimestamp = check.runTimestamp();
        long start = System.nanoTime();
        pipeline.primeBefore(runTimestamp);
        long readNanos = 0;
        long validateNanos = 0;
        long storeNanos = 0;
        Counts counts = new Counts();
        long valid = 0;
        long stored = 0;
        long duplicates = 0;
        long warnings = 0;
        long shorter = 0;
        ValidationReport lastReport = null;
        TrafficRun pending = null;
        try (TrafficRowReader rows = TrafficRowReader.open(file, zone)) {
            List<TrafficRecord> records = new ArrayList<>(batchRows);
            List<ValidationReport.Issue> defects = new ArrayList<>();
            long base = 0;
            while (true) {
                long t0 = System.nanoTime();
                int n = rows.read(batchRows, records, defects);
                long t1 = System.nanoTime();
                readNanos += t1 - t0;
                if (n == 0) {
                    break;
                }
                TrafficRun batch = new TrafficRun(runTimestamp, records);
                ValidationReport report = defects.isEmpty() ? pipeline.validate(batch)
                        : pipeline.validate(batch, defects);
                shorter += pipeline.shorterThanStraightLine(report.validRecords());
                long t2 = System.nanoTime();
                SaveResult saved;
                try {
                    saved = pipeline.store(runTimestamp, report);
                } catch (TrafficStoreException e) {
                    throw new TrafficStoreException(check.source() + ": storing stopped at record " + base + " of "
                            + check.totalRows() + "; the " + stored + " rows of the earlier batches are stored (a "
                            + "rerun skips them as duplicates): " + e.getMessage(), e);
                }
                long t3 = System.nanoTime();
                validateNanos += t2 - t1;
                storeNanos += t3 - t2;
                counts.rejected(base, report);
                valid += report.passedRows();
                stored += saved.rowsStored();
                duplicates += saved.duplicates();
                warnings += report.warnings().size();
                if (pending != null) {
                    pipeline.forecaster().observe(TrafficColumns.of(pending.records(), pipeline.network()));
                }
                pending = new TrafficRun(runTimestamp, TrafficPipeline.withoutDuplicates(report.validRecords(),
                        saved));
                lastReport = report;
                base += n;
                records.clear();
                defects.clear();
                progress.batchDone(Phase.STORE, base, stored, counts.rejected + duplicates);
            }
            if (base != check.totalRows()) {
                throw new IOException(check.source() + " has " + base + " rows now, " + check.totalRows()
                        + " when checked: it changed while being read");
            }
        }
        if (lastReport == null) {
            lastReport = pipeline.validate(new TrafficRun(runTimestamp, List.of()));
            pending = new TrafficRun(runTimestamp, List.of());
        }
        long beforeRetention = System.nanoTime();
        int deleted = pipeline.retention() == null ? 0 : pipeline.applyRetention(runTimestamp);
        long afterRetention = System.nanoTime();
        FeatureFrame features = pipeline.buildFeatures(pending);
        long afterFeatures = System.nanoTime();
        Forecast forecast = pipeline.forecast(pending);
        long end = System.nanoTime();
        Map<String, Integer> reasons = new TreeMap<>(counts.reasons);
        if (duplicates > 0) {
            reasons.merge(TrafficPipeline.DUPLICATE_OF_STORED, (int) duplicates, Integer::sum);
        }
        int[] horizons = pipeline.horizonsMinutes();
        CycleSummary summary = new CycleSummary(runTimestamp, pipeline.source().name(), toInt(check.totalRows()),
                toInt(valid - duplicates), toInt(counts.rejected + duplicates), reasons, toInt(warnings),
                toInt(shorter), toInt(stored), deleted, pipeline.retention(), features.rowCount(),
                features.columnCount(), forecast.size(), IntStream.of(horizons).boxed().toList(),
                forecast.meanSpeedKmh(), pipeline.forecaster().profileActive(), readNanos, validateNanos, storeNanos,
                afterRetention - beforeRetention, afterFeatures - afterRetention, end - afterFeatures, end - start,
                lastReport, forecast);
        return new Result(summary, counts.first);
    }

    private static int toInt(long count) {
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    private static void requireBatchRows(int batchRows) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, was " + batchRows);
        }
    }

    /** Rejections over the batches of one pass. */
    private static final class Counts {
        long rejected;
        final Map<String, Integer> reasons = new TreeMap<>();
        final List<RejectedRow> first = new ArrayList<>();

        void rejected(long base, ValidationReport report) {
            rejected += report.failedRows();
            report.rejectionReasonCounts().forEach((reason, n) -> reasons.merge(reason, n, Integer::sum));
            for (ValidationReport.RejectedRow row : report.rejectedRows()) {
                if (first.size() >= REJECTED_ROWS_KEPT) {
                    break;
                }
                first.add(new RejectedRow(base + row.row(), row.reasons()));
            }
        }
    }
}

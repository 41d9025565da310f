package dev.perfkit.traffic.validation;

import dev.perfkit.traffic.model.TrafficRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data-quality report of one batch: totals, every rejected row with all its reasons, warnings, completeness and
 * descriptive statistics of the valid rows. Immutable and thread-safe.
 *
 * <p>Rows are numbered from 0 in input order. Dataset-level findings (completeness, repeated pairs) carry row -1.
 */
public final class ValidationReport {

    /**
     * One finding.
     *
     * @param row     input row (0-based), or -1 for the whole batch
     * @param field   the field concerned ({@code node_a_id}, {@code speed_kmh}, ...), or {@code *}
     * @param code    stable code: {@code MISSING}, {@code OUT_OF_RANGE}, {@code TOO_LONG}, {@code SELF_LOOP},
     *                {@code DUPLICATE},
     *                {@code ZERO_DURATION}, {@code INCONSISTENT_SPEED}, {@code LOW_COMPLETENESS},
     *                {@code REPEATED_PAIRS}, or {@code UNREADABLE} for a row that could not be read (its message
     *                names the file, line, record, field and value)
     * @param message human-readable, naming the value and the allowed range
     */
    public record Issue(int row, String field, String code, String message) {
        /** {@code code:field}, the key under which {@link #rejectionReasonCounts()} counts. */
        public String reason() {
            return code + ":" + field;
        }
    }

    /**
     * A row that failed validation.
     *
     * @param row     input row (0-based)
     * @param record  the record as given
     * @param reasons every error found on the row (at least one)
     */
    public record RejectedRow(int row, TrafficRecord record, List<Issue> reasons) {
        public RejectedRow {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * Descriptive statistics of one numeric field over the valid rows (NaN when there are none).
     *
     * @param count  number of values
     * @param mean   arithmetic mean
     * @param std    sample standard deviation (n - 1); NaN below 2 values
     * @param min    minimum
     * @param q1     first quartile (linear interpolation between closest ranks)
     * @param median second quartile
     * @param q3     third quartile
     * @param max    maximum
     */
    public record FieldStats(int count, double mean, double std, double min, double q1, double median, double q3,
                             double max) {
    }

    private final int totalRows;
    private final List<TrafficRecord> validRecords;
    private final List<RejectedRow> rejectedRows;
    private final List<Issue> datasetErrors;
    private final List<Issue> warnings;
    private final double completeness;
    private final int repeatedPairs;
    private final Map<String, FieldStats> metrics;

    ValidationReport(int totalRows, List<TrafficRecord> validRecords, List<RejectedRow> rejectedRows,
                     List<Issue> datasetErrors, List<Issue> warnings, double completeness, int repeatedPairs,
                     Map<String, FieldStats> metrics) {
        this.totalRows = totalRows;
        this.validRecords = List.copyOf(validRecords);
        this.rejectedRows = List.copyOf(rejectedRows);
        this.datasetErrors = List.copyOf(datasetErrors);
        this.warnings = List.copyOf(warnings);
        this.completeness = completeness;
        this.repeatedPairs = repeatedPairs;
        this.metrics = Map.copyOf(metrics);
    }

    /** Rows examined. */
    public int totalRows() {
        return totalRows;
    }

    /** Rows without errors (warnings allowed). */
    public int passedRows() {
        return validRecords.size();
    }

    /** Rows with at least one error. */
    public int failedRows() {
        return rejectedRows.size();
    }

    /** The rows without errors, in input order: what the pipeline stores. */
    public List<TrafficRecord> validRecords() {
        return validRecords;
    }

    /** Every rejected row with all its reasons, in input order. */
    public List<RejectedRow> rejectedRows() {
        return rejectedRows;
    }

    /** Every error: the row errors followed by dataset-level errors. */
    public List<Issue> errors() {
        List<Issue> all = new ArrayList<>();
        for (RejectedRow rejected : rejectedRows) {
            all.addAll(rejected.reasons());
        }
        all.addAll(datasetErrors);
        return List.copyOf(all);
    }

    /** Dataset-level errors (such as completeness below the minimum). */
    public List<Issue> datasetErrors() {
        return datasetErrors;
    }

    /** Findings that do not reject a row. */
    public List<Issue> warnings() {
        return warnings;
    }

    /** Fraction of rows with every required field present, in [0, 1]; 1 for an empty batch. */
    public double completeness() {
        return completeness;
    }

    /** Number of (node_a_id, node_b_id) pairs that occur on more than one row of the batch. */
    public int repeatedPairs() {
        return repeatedPairs;
    }

    /** Statistics of {@code speed_kmh}, {@code duration_sec} and {@code distance_km} over the valid rows. */
    public Map<String, FieldStats> metrics() {
        return metrics;
    }

    /** True when the batch has no dataset-level error (rows may still have been rejected). */
    public boolean batchAccepted() {
        return datasetErrors.isEmpty();
    }

    /** Number of rejected rows per reason ({@link Issue#reason()}), sorted by reason. */
    public Map<String, Integer> rejectionReasonCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (RejectedRow rejected : rejectedRows) {
            for (Issue issue : rejected.reasons()) {
                counts.merge(issue.reason(), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Override
    public String toString() {
        return "ValidationReport[total=" + totalRows + ", passed=" + passedRows() + ", failed=" + failedRows()
                + ", warnings=" + warnings.size() + ", completeness=" + completeness + ", batchAccepted="
                + batchAccepted() + ", reasons=" + rejectionReasonCounts() + "]";
    }
}

package dev.perfkit.traffic.validation;

import dev.perfkit.annotation.Profiled;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.TrafficRecord;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks traffic records and reports every problem; never drops a row silently. Thread-safe (stateless apart from
 * its immutable thresholds).
 *
 * <p>A row is rejected (an error) when:
 * <ul>
 *   <li>a required field is missing ({@code MISSING}): node_a_id, node_b_id (null or blank), timestamp,
 *       distance_km, duration_sec, speed_kmh (NaN);</li>
 *   <li>a number is outside its inclusive range ({@code OUT_OF_RANGE}), see {@link ValidationThresholds};</li>
 *   <li>a text is longer than its limit ({@code TOO_LONG}): node_a_id and node_b_id {@value #MAX_NODE_ID_LENGTH}
 *       characters, api_type {@value #MAX_API_TYPE_LENGTH}; the message shows the value cut to
 *       {@value #SHOWN_VALUE_LENGTH} characters, its length and the limit;</li>
 *   <li>node_a_id equals node_b_id ({@code SELF_LOOP});</li>
 *   <li>an earlier row has the same node_a_id, node_b_id and timestamp ({@code DUPLICATE}; the first is kept).</li>
 * </ul>
 * A row is kept with a warning when:
 * <ul>
 *   <li>duration_sec is 0 ({@code ZERO_DURATION}): the speed cannot be derived from distance and duration, and the
 *       reported speed_kmh is kept as given (the bundled fixture has such a row, reported at 30 km/h);</li>
 *   <li>speed_kmh differs from distance_km / duration_sec by more than the consistency tolerance
 *       ({@code INCONSISTENT_SPEED}).</li>
 * </ul>
 * For the whole batch: completeness below the minimum is a dataset error ({@code LOW_COMPLETENESS}); pairs that
 * occur on several rows are a warning ({@code REPEATED_PAIRS}), normal when a batch spans several runs.
 */
public final class Validator {

    /** Longest node id accepted, in characters (the bundled ids have 25). */
    public static final int MAX_NODE_ID_LENGTH = 128;
    /** Longest api_type accepted, in characters. */
    public static final int MAX_API_TYPE_LENGTH = 32;
    /** Characters of a too-long value shown in its rejection. */
    static final int SHOWN_VALUE_LENGTH = 40;

    private final ValidationThresholds thresholds;

    /** A validator with {@link ValidationThresholds#defaults()}. */
    public Validator() {
        this(ValidationThresholds.defaults());
    }

    public Validator(ValidationThresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    public ValidationThresholds thresholds() {
        return thresholds;
    }

    /**
     * Validates a batch.
     *
     * @param records the rows, in input order (no null elements)
     * @return the report; its {@link ValidationReport#validRecords()} are the rows to keep
     */
    public ValidationReport validate(List<TrafficRecord> records) {
        return validate(records, List.of());
    }

    /**
     * Validates a batch some of whose rows could not be read (see {@code dev.perfkit.traffic.io.TrafficFile}): a row
     * with an input issue is rejected with that issue as its reason and not checked further; the other rows are
     * validated as by {@link #validate(List)}. Unreadable rows count as incomplete.
     *
     * @param records     the rows, in input order (no null elements)
     * @param inputIssues issues found while reading, each naming its row (an index into {@code records})
     * @throws IllegalArgumentException when an issue names a row outside {@code records}
     */
    @Profiled(value = TrafficMetrics.VALIDATION_VALIDATE, target = "500ms")
    public ValidationReport validate(List<TrafficRecord> records, List<ValidationReport.Issue> inputIssues) {
        int total = records.size();
        Map<Integer, List<ValidationReport.Issue>> unreadable = new HashMap<>();
        for (ValidationReport.Issue issue : inputIssues) {
            if (issue.row() < 0 || issue.row() >= total) {
                throw new IllegalArgumentException("input issue for row " + issue.row() + " outside [0, " + total
                        + "): " + issue.message());
            }
            unreadable.computeIfAbsent(issue.row(), k -> new ArrayList<>()).add(issue);
        }
        List<TrafficRecord> valid = new ArrayList<>(total);
        List<ValidationReport.RejectedRow> rejected = new ArrayList<>();
        List<ValidationReport.Issue> warnings = new ArrayList<>();
        Set<RowKey> seen = new HashSet<>(total * 2);
        Map<PairKey, Integer> pairCounts = new HashMap<>(total * 2);
        int complete = 0;
        double[] speeds = new double[total];
        double[] durations = new double[total];
        double[] distances = new double[total];
        List<ValidationReport.Issue> errors = new ArrayList<>(4);
        for (int row = 0; row < total; row++) {
            TrafficRecord r = Objects.requireNonNull(records.get(row), "records[" + row + "]");
            List<ValidationReport.Issue> readIssues = unreadable.get(row);
            if (readIssues != null) {
                rejected.add(new ValidationReport.RejectedRow(row, r, readIssues));
                continue;
            }
            errors.clear();
            boolean hasAll = true;
            hasAll &= requireText(row, "node_a_id", r.nodeAId(), errors);
            hasAll &= requireText(row, "node_b_id", r.nodeBId(), errors);
            if (r.timestamp() == null) {
                errors.add(new ValidationReport.Issue(row, "timestamp", "MISSING", "timestamp is missing"));
                hasAll = false;
            }
            hasAll &= checkRange(row, "distance_km", r.distanceKm(), thresholds.minDistanceKm(),
                    thresholds.maxDistanceKm(), "km", errors);
            hasAll &= checkRange(row, "duration_sec", r.durationSec(), thresholds.minDurationSec(),
                    thresholds.maxDurationSec(), "s", errors);
            hasAll &= checkRange(row, "speed_kmh", r.speedKmh(), thresholds.minSpeedKmh(),
                    thresholds.maxSpeedKmh(), "km/h", errors);
            if (hasAll) {
                complete++;
            }
            checkLength(row, "node_a_id", r.nodeAId(), MAX_NODE_ID_LENGTH, errors);
            checkLength(row, "node_b_id", r.nodeBId(), MAX_NODE_ID_LENGTH, errors);
            checkLength(row, "api_type", r.apiType(), MAX_API_TYPE_LENGTH, errors);
            if (r.nodeAId() != null && r.nodeAId().equals(r.nodeBId())) {
                errors.add(new ValidationReport.Issue(row, "node_b_id", "SELF_LOOP",
                        "node_b_id equals node_a_id '" + r.nodeAId() + "': a segment needs two distinct nodes"));
            }
            if (r.nodeAId() != null && r.nodeBId() != null) {
                pairCounts.merge(new PairKey(r.nodeAId(), r.nodeBId()), 1, Integer::sum);
                if (r.timestamp() != null && !seen.add(new RowKey(r.nodeAId(), r.nodeBId(), r.timestamp()))) {
                    errors.add(new ValidationReport.Issue(row, "timestamp", "DUPLICATE", "an earlier row has the "
                            + "same node_a_id, node_b_id and timestamp " + r.timestamp()));
                }
            }
            if (!errors.isEmpty()) {
                rejected.add(new ValidationReport.RejectedRow(row, r, errors));
                continue;
            }
            if (r.durationSec() == 0) {
                warnings.add(new ValidationReport.Issue(row, "duration_sec", "ZERO_DURATION", "duration_sec is 0: "
                        + "speed cannot be derived from distance and duration; the reported speed_kmh "
                        + r.speedKmh() + " is kept"));
            } else {
                double derivedKmh = r.distanceKm() / (r.durationSec() / 3600.0);
                double tolerance = thresholds.speedConsistencyTolerance() * Math.max(derivedKmh, 1.0);
                if (Math.abs(r.speedKmh() - derivedKmh) > tolerance) {
                    warnings.add(new ValidationReport.Issue(row, "speed_kmh", "INCONSISTENT_SPEED", "speed_kmh "
                            + r.speedKmh() + " differs from distance_km / duration = " + derivedKmh
                            + " km/h by more than " + thresholds.speedConsistencyTolerance() * 100 + " %"));
                }
            }
            speeds[valid.size()] = r.speedKmh();
            durations[valid.size()] = r.durationSec();
            distances[valid.size()] = r.distanceKm();
            valid.add(r);
        }
        double completeness = total == 0 ? 1.0 : (double) complete / total;
        List<ValidationReport.Issue> datasetErrors = new ArrayList<>();
        if (completeness < thresholds.minCompleteness()) {
            datasetErrors.add(new ValidationReport.Issue(-1, "*", "LOW_COMPLETENESS", String.format(
                    "completeness %.3f (%d of %d rows complete) is below the minimum %.3f", completeness, complete,
                    total, thresholds.minCompleteness())));
        }
        int repeatedPairs = 0;
        for (int count : pairCounts.values()) {
            if (count > 1) {
                repeatedPairs++;
            }
        }
        if (repeatedPairs > 0) {
            warnings.add(new ValidationReport.Issue(-1, "*", "REPEATED_PAIRS", repeatedPairs
                    + " (node_a_id, node_b_id) pairs occur on more than one row (expected when the batch spans runs)"));
        }
        int n = valid.size();
        Map<String, ValidationReport.FieldStats> metrics = Map.of(
                "speed_kmh", stats(speeds, n),
                "duration_sec", stats(durations, n),
                "distance_km", stats(distances, n));
        return new ValidationReport(total, valid, rejected, datasetErrors, warnings, completeness, repeatedPairs,
                metrics);
    }

    private static boolean requireText(int row, String field, String value, List<ValidationReport.Issue> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new ValidationReport.Issue(row, field, "MISSING", field + " is missing"
                    + (value == null ? "" : " (blank)")));
            return false;
        }
        return true;
    }

    private static void checkLength(int row, String field, String value, int maxLength,
                                    List<ValidationReport.Issue> errors) {
        if (value != null && value.length() > maxLength) {
            String shown = value.length() <= SHOWN_VALUE_LENGTH ? value
                    : value.substring(0, SHOWN_VALUE_LENGTH) + "...";
            errors.add(new ValidationReport.Issue(row, field, "TOO_LONG", field + " '" + shown + "' has "
                    + value.length()
                    + " characters, more than the limit of " + maxLength));
        }
    }

    /** Adds MISSING or OUT_OF_RANGE; returns whether the value is present. */
    private static boolean checkRange(int row, String field, double value, double min, double max, String unit,
                                      List<ValidationReport.Issue> errors) {
        if (Double.isNaN(value)) {
            errors.add(new ValidationReport.Issue(row, field, "MISSING", field + " is missing"));
            return false;
        }
        if (!(value >= min && value <= max)) {
            errors.add(new ValidationReport.Issue(row, field, "OUT_OF_RANGE", field + " " + value
                    + " is outside the allowed range [" + min + ", " + max + "] " + unit));
        }
        return true;
    }

    static ValidationReport.FieldStats stats(double[] values, int count) {
        if (count == 0) {
            return new ValidationReport.FieldStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        double mean = sum / count;
        double squares = 0;
        for (double v : sorted) {
            squares += (v - mean) * (v - mean);
        }
        double std = count < 2 ? Double.NaN : Math.sqrt(squares / (count - 1));
        return new ValidationReport.FieldStats(count, mean, std, sorted[0], quantile(sorted, 0.25),
                quantile(sorted, 0.5), quantile(sorted, 0.75), sorted[count - 1]);
    }

    /** Linear interpolation between closest ranks (the default of numpy and pandas). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    private record PairKey(String nodeAId, String nodeBId) {
    }

    private record RowKey(String nodeAId, String nodeBId, LocalDateTime timestamp) {
    }
}

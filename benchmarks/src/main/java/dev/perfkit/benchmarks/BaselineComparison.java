package dev.perfkit.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a JMH run with a saved baseline run, score by score, within a relative tolerance.
 *
 * <p>Design note: these machines are noisy (shared cores, frequency scaling), so an absolute ns/op moves by more than
 * any useful tolerance from one run to the next. A benchmark class that has a {@value #REFERENCE_METHOD} method
 * measures it in the same run, same threads and params, so each of its scores is compared as a multiple of that
 * in-run reference: {@code (score / reference) now} against {@code (score / reference) then}. A machine that is
 * uniformly 30% slower then compares equal. Scores without a reference in both runs (other classes, {@code @Group}
 * methods) are compared absolutely, after converting time units.
 *
 * <p>Verdicts: the ratio is "how many times worse" (inverted for throughput, where higher is better);
 * {@code ratio > 1 + tolerance} is {@link Verdict#REGRESSED}, {@code ratio < 1 / (1 + tolerance)} is
 * {@link Verdict#IMPROVED}. When both runs carry {@code -prof gc}'s {@code gc.alloc.rate.norm}, allocation above
 * {@code baseline * (1 + tolerance) + }{@value #ALLOCATION_SLACK_BYTES} B/op also regresses (the slack absorbs JMH's
 * own sub-byte noise; any real per-call allocation is at least 16 B). The {@value #REFERENCE_METHOD} and
 * {@code baseline} methods are shown but not judged ({@link Verdict#REFERENCE}): they measure the clock and the
 * harness, not our code. A run with different thread counts for the same benchmark is {@link Verdict#INCOMPARABLE};
 * scores present on one side only are {@link Verdict#NEW} or {@link Verdict#MISSING}. None of these fail the run.
 */
final class BaselineComparison {

    static final String REFERENCE_METHOD = "clockFloor";
    static final String BASELINE_METHOD = "baseline";
    static final double ALLOCATION_SLACK_BYTES = 8.0;

    enum Verdict { OK, IMPROVED, REGRESSED, REFERENCE, NEW, MISSING, INCOMPARABLE }

    /**
     * One line of the comparison.
     *
     * @param basis "clockFloor" when compared relative to the in-run reference, "absolute" otherwise, "-" when not
     *              compared
     * @param ratio how many times worse than the baseline (1 = same), NaN when not compared
     * @param reason why the verdict is what it is, for the summary
     */
    record Row(String name, int threads, double baselineScore, double score, String unit, String basis, double ratio,
               double baselineAllocBytes, double allocBytes, Verdict verdict, String reason) {
    }

    private final double tolerance;
    private final List<Row> rows;

    private BaselineComparison(double tolerance, List<Row> rows) {
        this.tolerance = tolerance;
        this.rows = List.copyOf(rows);
    }

    /**
     * @param tolerance relative tolerance, in {@code [0, 10]}: 0.15 accepts up to 15% worse
     * @throws IllegalArgumentException when the tolerance is out of range
     */
    static BaselineComparison compare(List<JmhResult> baseline, List<JmhResult> current, double tolerance) {
        if (!(tolerance >= 0 && tolerance <= 10)) {
            throw new IllegalArgumentException("tolerance must be in [0, 10] (0.15 = 15%), was " + tolerance);
        }
        Map<String, JmhResult> baselineByKey = index(baseline);
        Map<String, JmhResult> currentByKey = index(current);
        List<Row> rows = new ArrayList<>();
        for (JmhResult now : currentByKey.values()) {
            JmhResult then = baselineByKey.get(now.key());
            rows.add(then == null
                    ? notCompared(now, Verdict.NEW, "not in the baseline")
                    : compareOne(then, now, baselineByKey, currentByKey, tolerance));
        }
        for (JmhResult then : baselineByKey.values()) {
            if (!currentByKey.containsKey(then.key())) {
                rows.add(new Row(shortName(then), then.threads(), then.score(), Double.NaN, then.unit(), "-",
                        Double.NaN, then.allocBytesPerOp(), Double.NaN, Verdict.MISSING, "not in this run"));
            }
        }
        return new BaselineComparison(tolerance, rows);
    }

    List<Row> rows() {
        return rows;
    }

    List<Row> regressions() {
        return rows.stream().filter(r -> r.verdict() == Verdict.REGRESSED).toList();
    }

    boolean hasRegression() {
        return !regressions().isEmpty();
    }

    /** The table, then one line per regression, then a summary line. */
    String render() {
        String[] header = {"Benchmark", "Thr", "Baseline", "Score", "Unit", "Basis", "Ratio", "B/op base->now",
                "Verdict"};
        List<String[]> lines = new ArrayList<>();
        lines.add(header);
        for (Row row : rows) {
            lines.add(new String[] {row.name(), Integer.toString(row.threads()), number(row.baselineScore()),
                    number(row.score()), row.unit(), row.basis(),
                    Double.isNaN(row.ratio()) ? "-" : String.format(Locale.ROOT, "%.3f", row.ratio()),
                    allocation(row), row.verdict().name()});
        }
        int[] widths = new int[header.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                boolean leftAligned = i == 0 || i == 4 || i == 5 || i == line.length - 1;
                String cell = leftAligned ? pad(line[i], widths[i], false) : pad(line[i], widths[i], true);
                text.append(cell).append(i == line.length - 1 ? "" : "  ");
            }
            out.append(text.toString().stripTrailing()).append(System.lineSeparator());
        }
        out.append(System.lineSeparator());
        for (Row row : regressions()) {
            out.append("REGRESSED ").append(row.name()).append(" (").append(row.threads()).append(" thread")
                    .append(row.threads() == 1 ? "" : "s").append("): ").append(row.reason())
                    .append(System.lineSeparator());
        }
        long judged = rows.stream().filter(r -> r.verdict() == Verdict.OK || r.verdict() == Verdict.IMPROVED
                || r.verdict() == Verdict.REGRESSED).count();
        out.append(String.format(Locale.ROOT, "%d compared within tolerance %.0f%%: %d regressed, %d improved, "
                        + "%d new, %d missing, %d incomparable%n", judged, tolerance * 100, count(Verdict.REGRESSED),
                count(Verdict.IMPROVED), count(Verdict.NEW), count(Verdict.MISSING), count(Verdict.INCOMPARABLE)));
        return out.toString();
    }

    private long count(Verdict verdict) {
        return rows.stream().filter(r -> r.verdict() == verdict).count();
    }

    private static Row compareOne(JmhResult then, JmhResult now, Map<String, JmhResult> baselineByKey,
                                  Map<String, JmhResult> currentByKey, double tolerance) {
        if (then.threads() != now.threads()) {
            return notCompared(now, then, Verdict.INCOMPARABLE,
                    "ran with " + now.threads() + " threads, the baseline with " + then.threads());
        }
        if (!now.unit().equals(then.unit())
                && (Double.isNaN(unitFactor(now.unit())) || Double.isNaN(unitFactor(then.unit())))) {
            return notCompared(now, then, Verdict.INCOMPARABLE,
                    "unit " + now.unit() + " vs baseline " + then.unit());
        }
        double nowFactor = knownFactor(now.unit());
        double thenFactor = knownFactor(then.unit());
        boolean lowerIsBetter = !now.unit().startsWith("ops/");
        double thenInNowUnit = then.score() * thenFactor / nowFactor;
        boolean referenceRow = now.label() == null
                && (now.method().equals(REFERENCE_METHOD) || now.method().equals(BASELINE_METHOD));

        JmhResult nowReference = referenceOf(now, currentByKey);
        JmhResult thenReference = referenceOf(then, baselineByKey);
        String basis;
        double nowValue;
        double thenValue;
        if (!referenceRow && nowReference != null && thenReference != null) {
            basis = REFERENCE_METHOD;
            nowValue = now.score() * nowFactor / (nowReference.score() * knownFactor(nowReference.unit()));
            thenValue = then.score() * thenFactor / (thenReference.score() * knownFactor(thenReference.unit()));
        } else {
            basis = referenceRow ? "reference" : "absolute";
            nowValue = now.score() * nowFactor;
            thenValue = then.score() * thenFactor;
        }
        double ratio = lowerIsBetter ? nowValue / thenValue : thenValue / nowValue;
        if (!Double.isFinite(ratio) || ratio < 0) {
            return new Row(shortName(now), now.threads(), thenInNowUnit, now.score(), now.unit(), basis, Double.NaN,
                    then.allocBytesPerOp(), now.allocBytesPerOp(), Verdict.INCOMPARABLE,
                    "score or reference is zero or not a number");
        }
        Verdict verdict;
        String reason;
        if (referenceRow) {
            verdict = Verdict.REFERENCE;
            reason = "measures the clock or the harness; not judged";
        } else if (ratio > 1 + tolerance) {
            verdict = Verdict.REGRESSED;
            reason = String.format(Locale.ROOT, "%.2fx its baseline%s, beyond the tolerance of %.2fx", ratio,
                    basis.equals(REFERENCE_METHOD) ? " relative to " + REFERENCE_METHOD + " of the same run" : "",
                    1 + tolerance);
        } else if (ratio < 1 / (1 + tolerance)) {
            verdict = Verdict.IMPROVED;
            reason = String.format(Locale.ROOT, "%.2fx its baseline", ratio);
        } else {
            verdict = Verdict.OK;
            reason = "within tolerance";
        }
        if (!referenceRow && now.hasAllocation() && then.hasAllocation()
                && now.allocBytesPerOp() > then.allocBytesPerOp() * (1 + tolerance) + ALLOCATION_SLACK_BYTES) {
            String allocationReason = String.format(Locale.ROOT, "allocates %.1f B/op, baseline %.1f B/op",
                    now.allocBytesPerOp(), then.allocBytesPerOp());
            reason = verdict == Verdict.REGRESSED ? reason + "; " + allocationReason : allocationReason;
            verdict = Verdict.REGRESSED;
        }
        return new Row(shortName(now), now.threads(), thenInNowUnit, now.score(), now.unit(), basis, ratio,
                then.allocBytesPerOp(), now.allocBytesPerOp(), verdict, reason);
    }

    /** The {@value #REFERENCE_METHOD} result of the same class, mode, threads and params in the same run, or null. */
    private static JmhResult referenceOf(JmhResult result, Map<String, JmhResult> run) {
        if (result.label() != null) {
            return null;
        }
        JmhResult reference = run.get(new JmhResult(result.benchmarkClass() + "." + REFERENCE_METHOD, result.mode(),
                result.threads(), result.params(), null, 0, 0, "", Double.NaN).key());
        if (reference == null || !(reference.score() > 0)
                || !(reference.unit().equals(result.unit())
                    || (!Double.isNaN(unitFactor(reference.unit())) && !Double.isNaN(unitFactor(result.unit()))
                        && reference.unit().startsWith("ops/") == result.unit().startsWith("ops/")))) {
            return null;
        }
        return reference;
    }

    private static Map<String, JmhResult> index(List<JmhResult> results) {
        Map<String, JmhResult> byKey = new LinkedHashMap<>();
        for (JmhResult result : results) {
            byKey.put(result.key(), result);
        }
        return byKey;
    }

    private static Row notCompared(JmhResult now, Verdict verdict, String reason) {
        return new Row(shortName(now), now.threads(), Double.NaN, now.score(), now.unit(), "-", Double.NaN,
                Double.NaN, now.allocBytesPerOp(), verdict, reason);
    }

    private static Row notCompared(JmhResult now, JmhResult then, Verdict verdict, String reason) {
        return new Row(shortName(now), now.threads(), then.score(), now.score(), now.unit(), "-", Double.NaN,
                then.allocBytesPerOp(), now.allocBytesPerOp(), verdict, reason);
    }

    /**
     * Multiplier from {@code unit} to a canonical unit of the same kind (seconds per op, or ops per second); NaN
     * for a unit it does not know.
     */
    static double unitFactor(String unit) {
        String[] parts = unit.split("/", 2);
        if (parts.length != 2) {
            return Double.NaN;
        }
        if (parts[1].equals("op")) {
            return seconds(parts[0]);
        }
        if (parts[0].equals("ops")) {
            return 1 / seconds(parts[1]);
        }
        return Double.NaN;
    }

    /** {@link #unitFactor}, where an unknown unit counts as 1 (only used when both sides share that unit). */
    private static double knownFactor(String unit) {
        double factor = unitFactor(unit);
        return Double.isNaN(factor) ? 1 : factor;
    }

    private static double seconds(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            default -> Double.NaN;
        };
    }

    /** {@code dev.perfkit.benchmarks.OverheadBenchmark.TwoThreads.baseline} -> {@code OverheadBenchmark.TwoThreads.baseline}. */
    static String shortName(JmhResult result) {
        String display = result.display();
        String[] segments = result.benchmark().split("\\.");
        int prefixLength = 0;
        for (String segment : segments) {
            if (!segment.isEmpty() && Character.isUpperCase(segment.charAt(0))) {
                break;
            }
            prefixLength += segment.length() + 1;
        }
        return prefixLength >= result.benchmark().length() ? display : display.substring(prefixLength);
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        double magnitude = Math.abs(value);
        String format = magnitude >= 1000 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.4f";
        return String.format(Locale.ROOT, format, value);
    }

    private static String allocation(Row row) {
        if (Double.isNaN(row.baselineAllocBytes()) && Double.isNaN(row.allocBytes())) {
            return "-";
        }
        return number(row.baselineAllocBytes()) + " -> " + number(row.allocBytes());
    }

    private static String pad(String text, int width, boolean right) {
        if (text.length() >= width) {
            return text;
        }
        String spaces = " ".repeat(width - text.length());
        return right ? spaces + text : text + spaces;
    }
}

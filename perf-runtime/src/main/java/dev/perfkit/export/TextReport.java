package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.Durations;
import java.util.List;

/**
 * The plain-text performance table: one row per timer with name, target, count, p50, p99, max and status
 * ({@code met}, {@code missed}, {@code no target}). Durations are printed in ns/us/ms/s, bytes in B/KiB/MiB/GiB.
 * Stateless and thread-safe.
 */
public final class TextReport {

    private static final String[] HEADER = {"name", "target", "count", "p50", "p99", "max", "status"};

    private TextReport() {
    }

    /** Renders {@code snapshots} in the given order as an aligned table ending with a newline. */
    public static String render(List<TimerSnapshot> snapshots) {
        String[][] rows = new String[snapshots.size() + 1][];
        rows[0] = HEADER;
        for (int i = 0; i < snapshots.size(); i++) {
            TimerSnapshot s = snapshots.get(i);
            rows[i + 1] = new String[] {
                s.name(),
                s.hasTarget() ? format(s.target(), s.unit()) : "-",
                Long.toString(s.count()),
                s.count() == 0 ? "-" : format(s.p50(), s.unit()),
                s.count() == 0 ? "-" : format(s.p99(), s.unit()),
                s.count() == 0 ? "-" : format(s.max(), s.unit()),
                s.targetStatus().label()
            };
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.length; r++) {
            appendRow(out, rows[r], widths);
            if (r == 0) {
                String[] rule = new String[HEADER.length];
                for (int c = 0; c < rule.length; c++) {
                    rule[c] = "-".repeat(widths[c]);
                }
                appendRow(out, rule, widths);
            }
        }
        return out.toString();
    }

    /** A value in its unit, human-readable: {@code "12.3 us"} or {@code "4.00 KiB"}. */
    public static String format(long value, MetricUnit unit) {
        return unit == MetricUnit.BYTES ? Durations.formatBytes(value) : Durations.format(value);
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] widths) {
        for (int c = 0; c < cells.length; c++) {
            boolean numeric = c > 0 && c < cells.length - 1;
            String cell = cells[c];
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(numeric ? pad + cell : cell + pad);
            out.append(c == cells.length - 1 ? "" : "  ");
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }
}

package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.Durations;
import java.util.List;

/**
 * The plain-text performance table: one row per timer with name, target, count, p50, p99, max and status
 * ({@code met}, {@code missed}, {@code no target}), and, when any timer has errors, a last column {@code errors} (calls
 * that threw, e.g. {@code 3 (IOException 2, IllegalStateException 1)}). Durations are printed in ns/us/ms/s, bytes in B/KiB/MiB/GiB.
 * Stateless and thread-safe.
 */
public final class TextReport {

    private static final String[] HEADER = {"name", "target", "count", "p50", "p99", "max", "status"};

    private TextReport() {
    }

    /** Renders {@code snapshots} in the given order as an aligned table ending with a newline. */
    public static String render(List<TimerSnapshot> snapshots) {
        boolean errors = snapshots.stream().anyMatch(s -> s.errors() > 0);
        String[] header = errors ? java.util.Arrays.copyOf(HEADER, HEADER.length + 1) : HEADER;
        if (errors) {
            header[HEADER.length] = "errors";
        }
        String[][] rows = new String[snapshots.size() + 1][];
        rows[0] = header;
        for (int i = 0; i < snapshots.size(); i++) {
            TimerSnapshot s = snapshots.get(i);
            rows[i + 1] = new String[] {
                s.name(),
                s.id().hasTarget() ? format(s.id().target(), s.unit()) : "-",
                Long.toString(s.count()),
                s.count() == 0 ? "-" : format(s.p50(), s.unit()),
                s.count() == 0 ? "-" : format(s.p99(), s.unit()),
                s.count() == 0 ? "-" : format(s.max(), s.unit()),
                s.targetStatus().label()
            };
            if (errors) {
                rows[i + 1] = java.util.Arrays.copyOf(rows[i + 1], header.length);
                rows[i + 1][HEADER.length] = errors(s);
            }
        }
        int[] widths = new int[header.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.length; r++) {
            appendRow(out, rows[r], widths);
            if (r == 0) {
                String[] rule = new String[header.length];
                for (int c = 0; c < rule.length; c++) {
                    rule[c] = "-".repeat(widths[c]);
                }
                appendRow(out, rule, widths);
            }
        }
        return out.toString();
    }

    private static String errors(TimerSnapshot s) {
        if (s.errors() == 0) {
            return "0";
        }
        StringBuilder out = new StringBuilder().append(s.errors()).append(" (");
        s.errorsByType().entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()
                        .thenComparing(java.util.Map.Entry.comparingByKey()))
                .forEach(e -> out.append(e.getKey().substring(e.getKey().lastIndexOf('.') + 1)).append(' ')
                        .append(e.getValue()).append(", "));
        out.setLength(out.length() - 2);
        return out.append(')').toString();
    }

    /** A value in its unit, human-readable: {@code "12.3 us"} or {@code "4.00 KiB"}. */
    public static String format(long value, MetricUnit unit) {
        return unit == MetricUnit.BYTES ? Durations.formatBytes(value) : Durations.format(value);
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] widths) {
        for (int c = 0; c < cells.length; c++) {
            boolean numeric = c >= 1 && c <= 5; // target .. max
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

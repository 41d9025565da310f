package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus text exposition format (version 0.0.4) of timer snapshots, as accepted by {@code promtool check metrics}.
 *
 * <p>Each timer {@code a.b} becomes a summary {@code a_b_seconds} (or {@code a_b_bytes}) with quantiles 0.5, 0.9, 0.99
 * and 0.999 and the exact {@code _sum} and {@code _count}, a gauge {@code a_b_seconds_max}, and a counter
 * {@code a_b_errors_total} labelled by exception class. Names are sanitised to {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, tags
 * become labels (keys sanitised, values escaped). Stateless and thread-safe.
 */
public final class PrometheusText {

    /** Content type of the exposition. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private PrometheusText() {
    }

    /** Renders cumulative snapshots; one family per timer, in the given order. */
    public static String render(List<TimerSnapshot> snapshots) {
        StringBuilder out = new StringBuilder(256 * snapshots.size());
        for (TimerSnapshot s : snapshots) {
            boolean bytes = s.unit() == MetricUnit.BYTES;
            String base = sanitizeName(s.name()) + (bytes ? "_bytes" : "_seconds");
            double scale = bytes ? 1.0 : 1e-9;
            String labels = labels(s.tags());
            String help = s.description().isEmpty() ? s.name() : s.name() + ": " + s.description();

            out.append("# HELP ").append(base).append(' ').append(escapeHelp(help)).append('\n');
            out.append("# TYPE ").append(base).append(" summary\n");
            long[] values = {s.p50(), s.p90(), s.p99(), s.p999()};
            for (int q = 0; q < QUANTILES.length; q++) {
                out.append(base).append('{').append(labels).append(labels.isEmpty() ? "" : ",")
                        .append("quantile=\"").append(QUANTILES[q]).append("\"} ")
                        .append(number(values[q] * scale)).append('\n');
            }
            out.append(base).append("_sum").append(braces(labels)).append(' ').append(number(s.total() * scale))
                    .append('\n');
            out.append(base).append("_count").append(braces(labels)).append(' ').append(s.count()).append('\n');

            out.append("# HELP ").append(base).append("_max ").append(escapeHelp("maximum of " + s.name()))
                    .append('\n');
            out.append("# TYPE ").append(base).append("_max gauge\n");
            out.append(base).append("_max").append(braces(labels)).append(' ').append(number(s.max() * scale))
                    .append('\n');

            String errors = sanitizeName(s.name()) + "_errors_total";
            out.append("# HELP ").append(errors).append(' ')
                    .append(escapeHelp("calls of " + s.name() + " that threw, by exception class")).append('\n');
            out.append("# TYPE ").append(errors).append(" counter\n");
            Map<String, Long> byType = new TreeMap<>(s.errorsByType());
            if (byType.isEmpty()) {
                out.append(errors).append(braces(labels)).append(" 0\n");
            }
            for (Map.Entry<String, Long> e : byType.entrySet()) {
                out.append(errors).append('{').append(labels).append(labels.isEmpty() ? "" : ",")
                        .append("exception=\"").append(escapeLabel(e.getKey())).append("\"} ")
                        .append(e.getValue()).append('\n');
            }
        }
        return out.toString();
    }

    /** {@code "traffic.storage.save"} -> {@code "traffic_storage_save"}; invalid characters become {@code _}. */
    public static String sanitizeName(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                    || (i > 0 && c >= '0' && c <= '9');
            out.append(ok ? c : '_');
        }
        return out.toString();
    }

    private static String labels(Map<String, String> tags) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(tags).forEach((key, value) -> {
            if (out.length() > 0) {
                out.append(',');
            }
            String label = sanitizeName(key).replace(":", "_");
            if (label.startsWith("__") || label.equals("quantile") || label.equals("exception")) {
                label = "tag_" + label;
            }
            out.append(label).append("=\"").append(escapeLabel(value)).append('"');
        });
        return out.toString();
    }

    private static String braces(String labels) {
        return labels.isEmpty() ? "" : "{" + labels + "}";
    }

    private static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.9g", value).replaceFirst("\\.?0+(e|$)", "$1");
    }
}

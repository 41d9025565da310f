package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus text exposition format (version 0.0.4, as accepted by {@code promtool check metrics}) and OpenMetrics
 * 1.0 text of timer snapshots.
 *
 * <p>Each timer {@code a.b} becomes, by default, a histogram {@code a_b_seconds} (or {@code a_b_bytes}): cumulative
 * {@code _bucket{le="..."}} series at the {@link HistogramBuckets} of {@link PrometheusOptions} (ending with
 * {@code +Inf}), the exact {@code _sum} and {@code _count}; then a gauge {@code a_b_seconds_max} and a counter
 * {@code a_b_errors_total} labelled by exception class. Bucket counts are computed from the snapshot's HdrHistogram
 * buckets, so histograms of several instances add up ({@code sum by (le)}). {@link PrometheusOptions.Kind#SUMMARY}
 * renders a summary with quantiles 0.5, 0.9, 0.99 and 0.999 instead (since start; quantiles of several instances
 * cannot be combined). Names are sanitised to {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, tags become labels (keys sanitised,
 * values escaped). Stateless and thread-safe.
 */
public final class PrometheusText {

    /** Content type of the Prometheus text exposition. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Content type of the OpenMetrics 1.0 text exposition. */
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private PrometheusText() {
    }

    /** Renders cumulative snapshots with {@link PrometheusOptions#defaults()}; one family per timer, in order. */
    public static String render(List<TimerSnapshot> snapshots) {
        return render(snapshots, PrometheusOptions.defaults());
    }

    /** Renders cumulative snapshots in the Prometheus text format; one family per timer, in the given order. */
    public static String render(List<TimerSnapshot> snapshots, PrometheusOptions options) {
        return write(snapshots, options, false);
    }

    /**
     * Renders cumulative snapshots as OpenMetrics 1.0 text: as {@link #render(List, PrometheusOptions)}, plus
     * {@code # UNIT}, {@code _created} (the start of each snapshot, epoch seconds) and the closing {@code # EOF}.
     */
    public static String renderOpenMetrics(List<TimerSnapshot> snapshots, PrometheusOptions options) {
        return write(snapshots, options, true);
    }

    private static String write(List<TimerSnapshot> snapshots, PrometheusOptions options, boolean openMetrics) {
        StringBuilder out = new StringBuilder(
                (options.kind() == PrometheusOptions.Kind.HISTOGRAM ? 2560 : 512) * snapshots.size() + 16);
        for (TimerSnapshot s : snapshots) {
            boolean bytes = s.unit() == MetricUnit.BYTES;
            String base = sanitizeName(s.name()) + (bytes ? "_bytes" : "_seconds");
            double scale = bytes ? 1.0 : 1e-9;
            String labels = labels(s.id().tags());
            String braces = braces(labels);
            String comma = labels.isEmpty() ? "" : labels + ",";
            String help = s.id().description().isEmpty() ? s.name() : s.name() + ": " + s.id().description();
            String created = openMetrics ? epochSeconds(s.startEpochMillis()) : null;
            boolean histogram = options.kind() == PrometheusOptions.Kind.HISTOGRAM;

            out.append("# HELP ").append(base).append(' ').append(escapeHelp(help)).append('\n');
            out.append("# TYPE ").append(base).append(histogram ? " histogram\n" : " summary\n");
            if (openMetrics) {
                out.append("# UNIT ").append(base).append(bytes ? " bytes\n" : " seconds\n");
            }
            if (histogram) {
                HistogramBuckets buckets = options.bucketsFor(s);
                long[] cumulative = buckets.cumulativeCounts(s);
                String bucketPrefix = base + "_bucket{" + comma + "le=\"";
                for (int i = 0; i < cumulative.length; i++) {
                    out.append(bucketPrefix).append(buckets.label(i, !bytes)).append("\"} ").append(cumulative[i])
                            .append('\n');
                }
                out.append(bucketPrefix).append("+Inf\"} ").append(s.count()).append('\n');
            } else {
                long[] values = {s.p50(), s.p90(), s.p99(), s.p999()};
                for (int q = 0; q < QUANTILES.length; q++) {
                    out.append(base).append('{').append(comma).append("quantile=\"").append(QUANTILES[q])
                            .append("\"} ").append(number(values[q] * scale)).append('\n');
                }
            }
            out.append(base).append("_sum").append(braces).append(' ');
            if (bytes) {
                out.append(s.total());
            } else {
                out.append(s.total() * scale);
            }
            out.append('\n');
            out.append(base).append("_count").append(braces).append(' ').append(s.count()).append('\n');
            if (openMetrics) {
                out.append(base).append("_created").append(braces).append(' ').append(created).append('\n');
            }

            out.append("# HELP ").append(base).append("_max ").append(escapeHelp("maximum of " + s.name()))
                    .append('\n');
            out.append("# TYPE ").append(base).append("_max gauge\n");
            out.append(base).append("_max").append(braces).append(' ').append(s.max() * scale).append('\n');

            String errors = sanitizeName(s.name()) + "_errors";
            String family = openMetrics ? errors : errors + "_total";
            out.append("# HELP ").append(family).append(' ')
                    .append(escapeHelp("calls of " + s.name() + " that threw, by exception class")).append('\n');
            out.append("# TYPE ").append(family).append(" counter\n");
            Map<String, Long> byType = s.errorsByType();
            if (byType.isEmpty()) {
                out.append(errors).append("_total").append(braces).append(" 0\n");
                if (openMetrics) {
                    out.append(errors).append("_created").append(braces).append(' ').append(created).append('\n');
                }
            } else {
                for (Map.Entry<String, Long> e : new TreeMap<>(byType).entrySet()) {
                    String errorLabels = "{" + comma + "exception=\"" + escapeLabel(e.getKey()) + "\"}";
                    out.append(errors).append("_total").append(errorLabels).append(' ').append(e.getValue())
                            .append('\n');
                    if (openMetrics) {
                        out.append(errors).append("_created").append(errorLabels).append(' ').append(created)
                                .append('\n');
                    }
                }
            }
        }
        if (openMetrics) {
            out.append("# EOF\n");
        }
        return out.toString();
    }

    /** {@code 1764612345678} -> {@code "1764612345.678"}. */
    private static String epochSeconds(long epochMillis) {
        long millis = Math.floorMod(epochMillis, 1000L);
        return Math.floorDiv(epochMillis, 1000L) + "." + (millis < 10 ? "00" : millis < 100 ? "0" : "") + millis;
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

    static String labels(Map<String, String> tags) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(tags).forEach((key, value) -> {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(labelName(key)).append("=\"").append(escapeLabel(value)).append('"');
        });
        return out.toString();
    }

    /** A tag key as a label name: sanitised, and never one of the names the exposition reserves. */
    static String labelName(String key) {
        String label = sanitizeName(key).replace(":", "_");
        if (label.startsWith("__") || label.equals("quantile") || label.equals("le")
                || label.equals("exception")) {
            label = "tag_" + label;
        }
        return label;
    }

    private static String braces(String labels) {
        return labels.isEmpty() ? "" : "{" + labels + "}";
    }

    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Shortest-looking decimal of {@code value} at 9 significant digits, e.g. {@code 1e-06}, {@code 0.002}. */
    static String number(double value) {
        return String.format(Locale.ROOT, "%.9g", value).replaceFirst("\\.?0+(e|$)", "$1");
    }
}

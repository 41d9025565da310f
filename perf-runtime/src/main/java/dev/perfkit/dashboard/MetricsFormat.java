package dev.perfkit.dashboard;

import java.util.Locale;

/**
 * The exposition formats of {@code /metrics} and the choice among them by the request's {@code Accept} header: the one
 * with the highest quality value, the Prometheus text format when nothing else matches (or on a tie with it).
 * Stateless.
 */
enum MetricsFormat {
    TEXT, OPENMETRICS, PROTOBUF;

    /** The format to answer {@code accept} (null or empty: text). */
    static MetricsFormat negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return TEXT;
        }
        MetricsFormat best = TEXT;
        double bestQuality = 0;
        double textQuality = 0;
        for (String range : accept.split(",")) {
            String[] params = range.split(";");
            String type = params[0].trim().toLowerCase(Locale.ROOT);
            double quality = 1.0;
            boolean delimitedMetricFamily = false;
            for (int i = 1; i < params.length; i++) {
                String param = params[i].trim().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    try {
                        quality = Double.parseDouble(param.substring(2));
                    } catch (NumberFormatException e) {
                        quality = 0;
                    }
                } else if (param.equals("proto=io.prometheus.client.metricfamily")) {
                    delimitedMetricFamily = true;
                }
            }
            MetricsFormat format = switch (type) {
                case "application/vnd.google.protobuf" ->
                        delimitedMetricFamily ? PROTOBUF : null;
                case "application/openmetrics-text" -> OPENMETRICS;
                case "text/plain", "text/*", "*/*" -> TEXT;
                default -> null;
            };
            if (format == TEXT) {
                textQuality = Math.max(textQuality, quality);
            } else if (format != null && quality > bestQuality) {
                best = format;
                bestQuality = quality;
            }
        }
        return bestQuality > 0 && bestQuality > textQuality ? best : TEXT;
    }
}

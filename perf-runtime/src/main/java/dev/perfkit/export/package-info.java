/**
 * Exports of timer snapshots: human and JSON reports, HdrHistogram interval logs ({@link dev.perfkit.export.HistogramLog},
 * which keep exact sums and errors and merge across processes), and Prometheus expositions built from the snapshots'
 * own HdrHistogram buckets: text 0.0.4 and OpenMetrics 1.0 with classic histograms
 * ({@link dev.perfkit.export.PrometheusText}, {@link dev.perfkit.export.HistogramBuckets},
 * {@link dev.perfkit.export.PrometheusOptions}), and protobuf with native histograms
 * ({@link dev.perfkit.export.PrometheusProtobuf}, {@link dev.perfkit.export.NativeHistogram}) when the optional
 * Prometheus Java client is on the class path. {@link dev.perfkit.export.PrometheusExporter} gives the same text and
 * protobuf bytes straight from a registry's timers, without snapshots (what the dashboard's {@code /metrics} serves).
 * Every export reads snapshots or the timers' cells and never blocks writers.
 */
package dev.perfkit.export;

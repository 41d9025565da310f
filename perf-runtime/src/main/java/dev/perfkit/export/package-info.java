/**
 * Exports of snapshots: Prometheus text exposition ({@link dev.perfkit.export.PrometheusText}), JSON
 * ({@link dev.perfkit.export.JsonReport}), HdrHistogram interval logs that HdrHistogram's own reader reads back and
 * that merge across processes ({@link dev.perfkit.export.HistogramLog}), and a plain-text table
 * ({@link dev.perfkit.export.TextReport}). All are static functions of immutable snapshots: thread-safe, and never in
 * the way of writers.
 */
package dev.perfkit.export;

/**
 * The bridge to Micrometer, an optional dependency: {@link dev.perfkit.micrometer.PerfMeterBinder} exposes every timer
 * of a registry to any {@code MeterRegistry}; on Micrometer's Prometheus registry, timers are published as histograms
 * with buckets. Nothing else in perf-runtime needs Micrometer on the class path.
 */
package dev.perfkit.micrometer;

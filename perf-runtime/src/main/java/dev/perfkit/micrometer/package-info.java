/**
 * The bridge to Micrometer, an optional dependency: {@link dev.perfkit.micrometer.PerfMeterBinder} exposes every timer
 * of a registry to any {@code MeterRegistry}. Nothing else in perf-runtime needs Micrometer on the class path.
 */
package dev.perfkit.micrometer;

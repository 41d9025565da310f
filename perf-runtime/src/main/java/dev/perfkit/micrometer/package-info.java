/**
 * The bridge to Micrometer ({@link dev.perfkit.micrometer.PerfMeterBinder}); the only package that needs the optional
 * micrometer-core. On Micrometer's Prometheus registry, timers are published as histograms with buckets.
 */
package dev.perfkit.micrometer;

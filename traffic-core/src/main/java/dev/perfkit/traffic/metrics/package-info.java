/**
 * The names of every timer the traffic domain records ({@link dev.perfkit.traffic.metrics.TrafficMetrics}), in one
 * place: the annotations use them, and so can dashboards, alerts and tests.
 */
package dev.perfkit.traffic.metrics;

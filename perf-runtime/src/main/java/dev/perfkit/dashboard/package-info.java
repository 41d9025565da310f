/**
 * The embedded, read-only dashboard: {@link dev.perfkit.dashboard.Dashboard} serves one HTML page, JSON, the Prometheus
 * scrape endpoint {@code /metrics} (text, OpenMetrics or protobuf by the {@code Accept} header) and a health check from
 * the JDK's HTTP server, bound to loopback unless told otherwise, with latency plots over time
 * ({@link dev.perfkit.dashboard.MetricsHistory}), JVM resources ({@link dev.perfkit.dashboard.JvmStats}) and the
 * host's own panels ({@link dev.perfkit.dashboard.DashboardPanel}).
 */
package dev.perfkit.dashboard;

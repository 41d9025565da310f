/**
 * The embedded, read-only web dashboard ({@link dev.perfkit.dashboard.Dashboard}) and its host panels, including the
 * Prometheus scrape endpoint {@code /metrics} with content negotiation.
 */
package dev.perfkit.dashboard;

/**
 * Persistence of traffic records: {@link dev.perfkit.traffic.storage.TrafficStore} over a pooled SQLite file in WAL
 * mode (or PostgreSQL by JDBC URL, see {@link dev.perfkit.traffic.storage.Dialect}).
 */
package dev.perfkit.traffic.storage;

/**
 * Persistence of traffic records: {@link dev.perfkit.traffic.storage.TrafficStore} over a pooled SQLite file in WAL
 * mode or a PostgreSQL server by JDBC URL (see {@link dev.perfkit.traffic.storage.Dialect}), with integer edge ids,
 * observations keyed by (timestamp, edge), the {@code traffic_data} view, retention and the migration of version-1
 * databases.
 */
package dev.perfkit.traffic.storage;

/**
 * Persistence of traffic records: {@link dev.perfkit.traffic.storage.TrafficStore} over a pooled SQLite file in WAL
 * mode or a PostgreSQL server by JDBC URL (see {@link dev.perfkit.traffic.storage.Dialect}), with integer edge ids,
 * observations keyed by (timestamp, edge), an edge index keyed by hour first in SQLite, the {@code traffic_data}
 * view, retention, the migration of older schemas, and SQLite's WAL checkpoints on a background thread
 * ({@code SqliteCheckpointer}).
 */
package dev.perfkit.traffic.storage;

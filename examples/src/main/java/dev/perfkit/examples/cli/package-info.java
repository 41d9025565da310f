/**
 * The {@code traffic-perf} command (picocli): {@code run} the instrumented traffic pipeline once, for N cycles or until
 * stopped; {@code report} the metrics and profile it left in its data directory; {@code serve} the dashboard with the
 * traffic panels while cycling. {@code run} and {@code serve} hold the data directory's {@code WriterLock} (one writer
 * per directory and per PostgreSQL schema); {@code MetricsFiles} writes the metrics log and the profile after every
 * cycle. An application of the library, not part of it.
 */
package dev.perfkit.examples.cli;

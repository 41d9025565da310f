/**
 * Reading and writing traffic records as JSON (the shape of the bundled runs) and CSV with a header row. The
 * {@code read*} methods fail on the first malformed row with a {@link dev.perfkit.traffic.io.TrafficInputException}
 * naming file, line, record and field; the {@code read*Rows} methods reject a defective row alone and return a
 * {@link dev.perfkit.traffic.io.TrafficFile}, failing only on structural damage.
 * {@link dev.perfkit.traffic.io.TrafficRowReader} reads the same rows a batch at a time, for files larger than the
 * heap.
 */
package dev.perfkit.traffic.io;

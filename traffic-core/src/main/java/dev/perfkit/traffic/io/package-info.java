/**
 * Reading and writing traffic records as JSON (the shape of the bundled runs) and CSV with a header row;
 * malformed input fails with a {@link dev.perfkit.traffic.io.TrafficInputException} naming file, line, record and
 * field.
 */
package dev.perfkit.traffic.io;

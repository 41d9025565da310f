package dev.perfkit.traffic.io;

import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.validation.ValidationReport;
import java.util.List;

/**
 * A traffic file read row by row ({@link TrafficReader#readRows}): every row in file order, and a defect for each row
 * that could not be read. Immutable.
 *
 * <p>A cell-level defect (an unparsable timestamp or number, a value of the wrong JSON type, an unknown field, an
 * invalid {@code has_traffic_data}, a CSV row with the wrong number of cells or broken quoting) rejects that row only:
 * its record has every field missing and its defect is an {@link ValidationReport.Issue} with code
 * {@value TrafficReader#UNREADABLE_CODE}, the field (or {@code *}) and a message naming the file, line, record and
 * value. Pass both to {@link dev.perfkit.traffic.validation.Validator#validate(List, List)}, which rejects those rows
 * with that reason and validates the rest as usual. Structural damage fails the whole read instead.
 *
 * @param source     the file name, as in messages
 * @param records    one record per row, in file order; unreadable rows as a record with every field missing
 * @param rowDefects one issue per unreadable row, in file order; {@link ValidationReport.Issue#row()} is its index in
 *                   {@code records}
 */
public record TrafficFile(String source, List<TrafficRecord> records, List<ValidationReport.Issue> rowDefects) {

    public TrafficFile {
        records = List.copyOf(records);
        rowDefects = List.copyOf(rowDefects);
    }
}

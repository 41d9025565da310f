package dev.perfkit.traffic.io;

import java.io.IOException;

/**
 * Input that cannot be read as traffic records: malformed JSON or CSV, an unknown field or column, a value of the
 * wrong type. The message and the accessors name the source (file), the line, the record and the field.
 */
public class TrafficInputException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int record;
    private final String field;

    /**
     * @param source  file name or other description of the input
     * @param line    1-based line, or -1 when unknown
     * @param record  0-based record (row) index, or -1 when the problem is not in a record
     * @param field   field or column name, or null
     * @param problem what is wrong, naming the offending value
     */
    public TrafficInputException(String source, int line, int record, String field, String problem) {
        super(format(source, line, record, field, problem));
        this.source = source;
        this.line = line;
        this.record = record;
        this.field = field;
    }

    private static String format(String source, int line, int record, String field, String problem) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        if (record >= 0) {
            sb.append(", record ").append(record);
        }
        if (field != null) {
            sb.append(", field '").append(field).append('\'');
        }
        return sb.append(": ").append(problem).toString();
    }

    public String source() {
        return source;
    }

    /** 1-based line, or -1 when unknown. */
    public int line() {
        return line;
    }

    /** 0-based record index, or -1. */
    public int record() {
        return record;
    }

    /** Field or column name, or null. */
    public String field() {
        return field;
    }
}

package dev.perfkit.traffic.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.validation.ValidationReport;
import java.io.BufferedReader;
import java.io.CharConversionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code .json} or {@code .csv} traffic file one batch of rows at a time, so a file far larger than the heap
 * can be processed: memory is bounded by the batch the caller asks for, never by the file. Rows, fields and defects
 * are those of {@link TrafficReader#readRows}: a row with a defective cell is returned as a record with every field
 * missing and an {@link ValidationReport.Issue} with code {@value TrafficReader#UNREADABLE_CODE} whose message names
 * the file, line, record (counted from 0 over the whole file) and field.
 *
 * <pre>{@code
 * try (TrafficRowReader rows = TrafficRowReader.open(file, CityTime.DEFAULT_ZONE)) {
 *     List<TrafficRecord> records = new ArrayList<>();
 *     List<ValidationReport.Issue> defects = new ArrayList<>();
 *     while (rows.read(10_000, records, defects) > 0) {
 *         // validate and store this batch; then records.clear(), defects.clear()
 *     }
 * }
 * }</pre>
 *
 * <p>Structural damage (broken JSON syntax, a truncated file, a bad CSV header, bytes that are not UTF-8, a CSV line
 * over 1 MiB) is found only when the reader reaches it, and fails that {@link #read} with a
 * {@link TrafficInputException} naming the file and the line it is on. Not thread-safe: one thread reads.
 */
public final class TrafficRowReader implements Closeable {

    private final String source;
    private final ZoneId zone;
    private final JsonParser json;
    private final BufferedReader csv;
    private final TrafficReader.CsvHeader header;
    private int lineNumber;
    private int rowsRead;
    private boolean finished;

    private TrafficRowReader(String source, ZoneId zone, JsonParser json, BufferedReader csv,
                             TrafficReader.CsvHeader header) {
        this.source = source;
        this.zone = zone;
        this.json = json;
        this.csv = csv;
        this.header = header;
        this.lineNumber = header == null ? 0 : header.lineNumber();
    }

    /**
     * Opens a file by its extension, reading the JSON array's start or the CSV header; timestamps without an offset
     * are local time of {@code zone}.
     *
     * @throws TrafficInputException for another extension, or a file that does not start as one of those formats
     * @throws IOException           when the file cannot be read
     */
    public static TrafficRowReader open(Path file, ZoneId zone) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        String source = file.toString();
        if (name.endsWith(".json")) {
            InputStream in = Files.newInputStream(file);
            try {
                JsonParser parser = TrafficReader.MAPPER.getFactory().createParser(in);
                JsonToken token = nextToken(parser, source, 0);
                if (token != JsonToken.START_ARRAY) {
                    throw new TrafficInputException(source, parser.currentTokenLocation().getLineNr(), -1, null,
                            "expected a JSON array of records, got " + (token == null ? "empty input" : token));
                }
                return new TrafficRowReader(source, zone, parser, null, null);
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
        }
        if (name.endsWith(".csv")) {
            BufferedReader lines = new Utf8Lines(Files.newInputStream(file), source);
            try {
                return new TrafficRowReader(source, zone, null, lines, TrafficReader.CsvHeader.read(lines, source));
            } catch (IOException | RuntimeException e) {
                lines.close();
                throw e;
            }
        }
        throw new TrafficInputException(source, -1, -1, null, "unsupported file type: expected a .json or .csv file");
    }

    /** The file name, as in messages. */
    public String source() {
        return source;
    }

    /** Rows returned so far. */
    public int rowsRead() {
        return rowsRead;
    }

    /**
     * Appends up to {@code maxRows} rows to {@code records} and their defects to {@code defects}; a defect's
     * {@link ValidationReport.Issue#row()} is its record's index within this batch (counting from the size
     * {@code records} had on entry).
     *
     * @param maxRows at least 1
     * @return rows appended; 0 at the end of the file
     * @throws TrafficInputException on structural damage (then the file cannot be read further)
     * @throws IOException           when the file cannot be read
     */
    public int read(int maxRows, List<TrafficRecord> records, List<ValidationReport.Issue> defects)
            throws IOException {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, was " + maxRows);
        }
        int first = records.size();
        int appended = 0;
        while (appended < maxRows && !finished) {
            boolean got = json != null ? nextJson(records, defects, first) : nextCsv(records, defects, first);
            if (got) {
                appended++;
                rowsRead++;
            }
        }
        return appended;
    }

    private boolean nextJson(List<TrafficRecord> records, List<ValidationReport.Issue> defects, int first)
            throws IOException {
        JsonToken token = nextToken(json, source, rowsRead);
        int line = json.currentTokenLocation().getLineNr();
        if (token == JsonToken.END_ARRAY) {
            finished = true;
            return false;
        }
        if (token == null) {
            throw new TrafficInputException(source, line, rowsRead, null, "unexpected end of input inside the array");
        }
        if (token != JsonToken.START_OBJECT) {
            throw new TrafficInputException(source, line, rowsRead, null, "expected a JSON object, got " + token);
        }
        JsonNode node;
        try {
            node = TrafficReader.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed(e, rowsRead);
        } catch (CharConversionException e) {
            throw new TrafficInputException(source, line, rowsRead, null, "malformed JSON: " + e.getMessage());
        }
        try {
            records.add(TrafficReader.toRecord(node, source, line, rowsRead, zone));
        } catch (TrafficInputException e) {
            records.add(TrafficReader.UNREADABLE);
            defects.add(TrafficReader.defect(records.size() - 1 - first, e));
        }
        return true;
    }

    private boolean nextCsv(List<TrafficRecord> records, List<ValidationReport.Issue> defects, int first)
            throws IOException {
        String line = TrafficReader.nextLine(csv, source, lineNumber + 1);
        if (line == null) {
            finished = true;
            return false;
        }
        lineNumber++;
        if (line.isBlank()) {
            return false;
        }
        try {
            records.add(TrafficReader.csvRecord(line, header.size(), header.columnOf(), zone, source, lineNumber,
                    rowsRead));
        } catch (TrafficInputException e) {
            records.add(TrafficReader.UNREADABLE);
            defects.add(TrafficReader.defect(records.size() - 1 - first, e));
        }
        return true;
    }

    private static JsonToken nextToken(JsonParser parser, String source, int record) throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new TrafficInputException(source, line, record, null, "malformed JSON: " + e.getOriginalMessage());
        } catch (CharConversionException e) {
            throw new TrafficInputException(source, parser.currentLocation().getLineNr(), record, null,
                    "malformed JSON: " + e.getMessage());
        }
    }

    private TrafficInputException malformed(JsonProcessingException e, int record) {
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        return new TrafficInputException(source, line, record, null, "malformed JSON: " + e.getOriginalMessage());
    }

    @Override
    public void close() throws IOException {
        if (json != null) {
            json.close();
        }
        if (csv != null) {
            csv.close();
        }
    }
}

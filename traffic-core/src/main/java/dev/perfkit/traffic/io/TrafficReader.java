package dev.perfkit.traffic.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.WeatherSample;
import dev.perfkit.traffic.validation.ValidationReport;
import java.io.BufferedReader;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads traffic records from JSON (an array of objects, the shape of the bundled runs) and from CSV with a header
 * row. Stateless and thread-safe.
 *
 * <p>Fields and columns: {@code node_a_id}, {@code node_b_id}, {@code timestamp} (ISO-8601 date-time; without an
 * offset it is local time of the reader's zone, by default {@link CityTime#DEFAULT_ZONE} (Ho Chi Minh City, UTC+7);
 * with an offset such as {@code Z} or {@code +07:00} it is that instant; either way it is returned as a UTC date-time,
 * see {@link CityTime}; a space instead of {@code T} is accepted),
 * {@code distance_km}, {@code duration_sec}, {@code speed_kmh}, {@code api_type}, and {@code has_traffic_data}
 * (accepted and ignored). A missing field, a JSON {@code null} or an empty CSV cell is a missing value ({@code null}
 * or NaN) for the {@link dev.perfkit.traffic.validation.Validator} to report; the row is still returned.
 *
 * <p>Malformed input fails with a {@link TrafficInputException} naming the file, line, record and field: broken JSON
 * or CSV syntax, a value of the wrong type ({@code "abc"} for a number), an unparsable timestamp, an unknown field or
 * column, a CSV row with the wrong number of cells, or a CSV header without a required column.
 */
public final class TrafficReader {

    /** Required CSV columns. */
    public static final List<String> CSV_REQUIRED_COLUMNS =
            List.of("node_a_id", "node_b_id", "timestamp", "distance_km", "duration_sec", "speed_kmh");

    /** Every field or column understood; the order indexes the per-row value array of the CSV reader. */
    private static final List<String> FIELDS = List.of("node_a_id", "node_b_id", "timestamp", "distance_km",
            "duration_sec", "speed_kmh", "api_type", "has_traffic_data");
    private static final Set<String> KNOWN_FIELDS = Set.copyOf(FIELDS);
    private static final Set<String> WEATHER_FIELDS = Set.of("node_id", "lat", "lon", "timestamp", "temperature_c",
            "precipitation_mm", "wind_speed_kmh");
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Issue code of a row whose cells cannot be read; see {@link TrafficFile}. */
    public static final String UNREADABLE_CODE = "UNREADABLE";
    /** The record standing for a row that could not be read (every field missing). */
    static final TrafficRecord UNREADABLE = new TrafficRecord(null, null, null, Double.NaN, Double.NaN, Double.NaN,
            null);

    private TrafficReader() {
    }

    /**
     * Reads a file by its extension: {@code .json} or {@code .csv} (case-insensitive).
     *
     * @throws TrafficInputException for another extension or malformed content
     * @throws IOException           when the file cannot be read
     */
    public static List<TrafficRecord> read(Path file) throws IOException {
        return read(file, CityTime.DEFAULT_ZONE);
    }

    /**
     * Reads a file by its extension, reading timestamps without an offset as local time of {@code zone}.
     *
     * @throws TrafficInputException for another extension or malformed content
     * @throws IOException           when the file cannot be read
     */
    public static List<TrafficRecord> read(Path file, ZoneId zone) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return readJson(file, zone);
        }
        if (name.endsWith(".csv")) {
            return readCsv(file, zone);
        }
        throw new TrafficInputException(file.toString(), -1, -1, null,
                "unsupported file type: expected a .json or .csv file");
    }

    /** Reads a JSON file; see the class comment. */
    public static List<TrafficRecord> readJson(Path file) throws IOException {
        return readJson(file, CityTime.DEFAULT_ZONE);
    }

    /** Reads a JSON file, timestamps without an offset being local time of {@code zone}. */
    @Timed(TrafficMetrics.IO_READ_JSON)
    public static List<TrafficRecord> readJson(Path file, ZoneId zone) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readJson(in, file.toString(), zone);
        }
    }

    /**
     * Reads a JSON array of records from a stream (not closed).
     *
     * @param source name used in error messages
     */
    public static List<TrafficRecord> readJson(InputStream in, String source) throws IOException {
        return readJson(in, source, CityTime.DEFAULT_ZONE);
    }

    /** Reads a JSON array of records from a stream (not closed), local timestamps being in {@code zone}. */
    public static List<TrafficRecord> readJson(InputStream in, String source, ZoneId zone) throws IOException {
        List<TrafficRecord> records = new ArrayList<>();
        forEachObject(in, source, (node, line, index) -> records.add(toRecord(node, source, line, index, zone)));
        return records;
    }

    /**
     * Reads JSON like {@link #readJson(InputStream, String, ZoneId)}, but a record with a defective value (wrong
     * type, unparsable timestamp, unknown field) is rejected instead of failing the file: see {@link TrafficFile}.
     * Broken JSON syntax (including a truncated file) still fails the whole file.
     */
    public static TrafficFile readJsonRows(InputStream in, String source, ZoneId zone) throws IOException {
        List<TrafficRecord> records = new ArrayList<>();
        List<ValidationReport.Issue> defects = new ArrayList<>();
        forEachObject(in, source, (node, line, index) -> {
            try {
                records.add(toRecord(node, source, line, index, zone));
            } catch (TrafficInputException e) {
                records.add(UNREADABLE);
                defects.add(defect(index, e));
            }
        });
        return new TrafficFile(source, records, defects);
    }

    /**
     * Reads a {@code .json} or {@code .csv} file, rejecting defective rows instead of failing: see
     * {@link TrafficFile}; timestamps without an offset are local time of {@code zone}.
     *
     * @throws TrafficInputException for another extension or structural damage (broken JSON, a bad or duplicate
     *                               header, bytes that are not UTF-8), naming the file
     * @throws IOException           when the file cannot be read
     */
    public static TrafficFile readRows(Path file, ZoneId zone) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            try (InputStream in = Files.newInputStream(file)) {
                return readJsonRows(in, file.toString(), zone);
            }
        }
        if (name.endsWith(".csv")) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return readCsvRows(reader, file.toString(), zone);
            }
        }
        throw new TrafficInputException(file.toString(), -1, -1, null,
                "unsupported file type: expected a .json or .csv file");
    }

    /**
     * Reads the weather samples of a run ({@code run_*.weather.json}) from a stream (not closed), local timestamps
     * being in {@code zone}.
     */
    public static List<WeatherSample> readWeatherJson(InputStream in, String source, ZoneId zone)
            throws IOException {
        List<WeatherSample> samples = new ArrayList<>();
        forEachObject(in, source, (node, line, index) -> {
            checkFields(node, WEATHER_FIELDS, source, line, index);
            samples.add(new WeatherSample(text(node, "node_id", source, line, index),
                    number(node, "lat", source, line, index), number(node, "lon", source, line, index),
                    timestamp(node, "timestamp", source, line, index, zone),
                    number(node, "temperature_c", source, line, index),
                    number(node, "precipitation_mm", source, line, index),
                    number(node, "wind_speed_kmh", source, line, index)));
        });
        return samples;
    }

    /** Reads a CSV file with a header row; see the class comment. */
    public static List<TrafficRecord> readCsv(Path file) throws IOException {
        return readCsv(file, CityTime.DEFAULT_ZONE);
    }

    /** Reads a CSV file with a header row, timestamps without an offset being local time of {@code zone}. */
    @Timed(TrafficMetrics.IO_READ_CSV)
    public static List<TrafficRecord> readCsv(Path file, ZoneId zone) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return readCsv(reader, file.toString(), zone);
        }
    }

    /**
     * Reads CSV with a header row from a reader (not closed). Cells may be quoted with {@code "} (a doubled quote
     * inside a quoted cell is a quote); a record must fit on one line.
     *
     * @param source name used in error messages
     */
    public static List<TrafficRecord> readCsv(Reader reader, String source) throws IOException {
        return readCsv(reader, source, CityTime.DEFAULT_ZONE);
    }

    /** Reads CSV from a reader (not closed), local timestamps being in {@code zone}; see {@link #readCsv(Reader, String)}. */
    public static List<TrafficRecord> readCsv(Reader reader, String source, ZoneId zone) throws IOException {
        return readCsv(reader, source, zone, null);
    }

    /**
     * Reads CSV like {@link #readCsv(Reader, String, ZoneId)}, but a defective row is rejected instead of failing the
     * file: see {@link TrafficFile}. A bad header, undecodable bytes or empty input still fail the whole file.
     */
    public static TrafficFile readCsvRows(Reader reader, String source, ZoneId zone) throws IOException {
        List<ValidationReport.Issue> defects = new ArrayList<>();
        List<TrafficRecord> records = readCsv(reader, source, zone, defects);
        return new TrafficFile(source, records, defects);
    }

    /** With {@code defects} null, the first defect fails the read; otherwise row defects are collected there. */
    private static List<TrafficRecord> readCsv(Reader reader, String source, ZoneId zone,
                                               List<ValidationReport.Issue> defects) throws IOException {
        BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        CsvHeader header = CsvHeader.read(lines, source);
        int lineNumber = header.lineNumber();
        List<TrafficRecord> records = new ArrayList<>();
        String line;
        while ((line = nextLine(lines, source, lineNumber + 1)) != null) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int index = records.size();
            try {
                records.add(csvRecord(line, header.size(), header.columnOf(), zone, source, lineNumber, index));
            } catch (TrafficInputException e) {
                if (defects == null) {
                    throw e;
                }
                records.add(UNREADABLE);
                defects.add(defect(index, e));
            }
        }
        return records;
    }

    /**
     * A CSV header row: its cell count, the column of each of {@link #FIELDS} (-1 when absent) and its line.
     */
    record CsvHeader(int size, int[] columnOf, int lineNumber) {

        /** Reads the first non-blank line as the header and checks it. */
        static CsvHeader read(BufferedReader lines, String source) throws IOException {
            String headerLine = nextLine(lines, source, 1);
            int lineNumber = 1;
            while (headerLine != null && headerLine.isBlank()) {
                headerLine = nextLine(lines, source, lineNumber + 1);
                lineNumber++;
            }
            if (headerLine == null) {
                throw new TrafficInputException(source, -1, -1, null, "empty input: expected a CSV header row");
            }
            if (headerLine.startsWith("\uFEFF")) {
                headerLine = headerLine.substring(1);
            }
            List<String> header = CsvCells.split(headerLine, source, lineNumber);
            List<String> fieldOrder = FIELDS;
            int[] columnOf = new int[fieldOrder.size()];
            Arrays.fill(columnOf, -1);
            for (int c = 0; c < header.size(); c++) {
                String name = header.get(c).trim();
                int field = fieldOrder.indexOf(name);
                if (field < 0) {
                    throw new TrafficInputException(source, lineNumber, -1, name, "unknown column; known: "
                            + fieldOrder);
                }
                if (columnOf[field] >= 0) {
                    throw new TrafficInputException(source, lineNumber, -1, name, "duplicate column");
                }
                columnOf[field] = c;
            }
            for (String required : CSV_REQUIRED_COLUMNS) {
                if (columnOf[fieldOrder.indexOf(required)] < 0) {
                    throw new TrafficInputException(source, lineNumber, -1, required, "required column missing from "
                            + "the header " + header);
                }
            }
            return new CsvHeader(header.size(), columnOf, lineNumber);
        }
    }

    static TrafficRecord csvRecord(String line, int headerSize, int[] columnOf, ZoneId zone, String source,
                                           int lineNumber, int index) throws TrafficInputException {
        List<String> cells = CsvCells.split(line, source, lineNumber);
        if (cells.size() != headerSize) {
            throw new TrafficInputException(source, lineNumber, index, null, "expected " + headerSize
                    + " cells as in the header, got " + cells.size());
        }
        String[] values = new String[FIELDS.size()];
        for (int f = 0; f < values.length; f++) {
            values[f] = columnOf[f] < 0 ? null : cells.get(columnOf[f]);
        }
        if (values[7] != null && !values[7].isEmpty()
                && !values[7].equalsIgnoreCase("true") && !values[7].equalsIgnoreCase("false")) {
            throw new TrafficInputException(source, lineNumber, index, "has_traffic_data",
                    "expected true or false, got '" + values[7] + "'");
        }
        return new TrafficRecord(emptyToNull(values[0]), emptyToNull(values[1]),
                parseTimestamp(values[2], zone, source, lineNumber, index, "timestamp"),
                parseNumber(values[3], source, lineNumber, index, "distance_km"),
                parseNumber(values[4], source, lineNumber, index, "duration_sec"),
                parseNumber(values[5], source, lineNumber, index, "speed_kmh"),
                emptyToNull(values[6]));
    }

    /** A row defect as the validation issue that rejects the row: code {@code UNREADABLE}, the field or {@code *}. */
    static ValidationReport.Issue defect(int index, TrafficInputException e) {
        return new ValidationReport.Issue(index, e.field() == null ? "*" : e.field(), UNREADABLE_CODE, e.getMessage());
    }

    /** The next line, or null at the end; bytes that are not UTF-8 are malformed input like any other. */
    static String nextLine(BufferedReader lines, String source, int lineNumber) throws IOException {
        try {
            return lines.readLine();
        } catch (CharacterCodingException e) {
            throw new TrafficInputException(source, lineNumber, -1, null, "bytes that are not UTF-8 text ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Parses a timestamp as a UTC date-time, reading one without an offset as local time of
     * {@link CityTime#DEFAULT_ZONE}; see {@link #parseTimestamp(String, ZoneId)}.
     *
     * @throws DateTimeParseException when it is not an ISO date-time
     */
    public static LocalDateTime parseTimestamp(String text) {
        return parseTimestamp(text, CityTime.DEFAULT_ZONE);
    }

    /**
     * Parses a timestamp as a UTC date-time: ISO local date-time (with {@code T} or a space) as local time of
     * {@code zone}, or with an offset ({@code Z}, {@code +07:00}) as that instant.
     *
     * @throws DateTimeParseException when it is neither, or the instant is out of range
     */
    public static LocalDateTime parseTimestamp(String text, ZoneId zone) {
        String iso = text.trim().replace(' ', 'T');
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(iso);
        } catch (DateTimeParseException noLocal) {
            try {
                return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            } catch (DateTimeParseException noOffset) {
                throw noLocal;
            } catch (DateTimeException beyondRange) {
                // Parsed, but the instant lies beyond LocalDateTime's range once converted to UTC
                // (e.g. +999999999-12-31T23:59:59-18:00): malformed input like any other, not a crash.
                throw new DateTimeParseException("date-time out of range in UTC: " + beyondRange.getMessage(), text,
                        0, beyondRange);
            }
        }
        try {
            return CityTime.toUtc(local, zone);
        } catch (DateTimeException beyondRange) {
            throw new DateTimeParseException("date-time out of range in UTC: " + beyondRange.getMessage(), text, 0,
                    beyondRange);
        }
    }

    @FunctionalInterface
    private interface ObjectHandler {
        void accept(JsonNode node, int line, int index) throws TrafficInputException;
    }

    private static void forEachObject(InputStream in, String source, ObjectHandler handler) throws IOException {
        int index = 0;
        try (JsonParser parser = MAPPER.getFactory().createParser(in)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_ARRAY) {
                throw new TrafficInputException(source, parser.currentTokenLocation().getLineNr(), -1, null,
                        "expected a JSON array of records, got " + (token == null ? "empty input" : token));
            }
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                int line = parser.currentTokenLocation().getLineNr();
                if (token == null) {
                    throw new TrafficInputException(source, line, index, null, "unexpected end of input inside the array");
                }
                if (token != JsonToken.START_OBJECT) {
                    throw new TrafficInputException(source, line, index, null, "expected a JSON object, got " + token);
                }
                JsonNode node = MAPPER.readTree(parser);
                handler.accept(node, line, index);
                index++;
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new TrafficInputException(source, line, index, null, "malformed JSON: " + e.getOriginalMessage());
        } catch (CharConversionException e) {
            // bytes that are not text in the encoding the parser detected (UTF-8, UTF-16 or UTF-32)
            throw new TrafficInputException(source, -1, index, null, "malformed JSON: " + e.getMessage());
        }
    }

    static TrafficRecord toRecord(JsonNode node, String source, int line, int index, ZoneId zone)
            throws TrafficInputException {
        checkFields(node, KNOWN_FIELDS, source, line, index);
        JsonNode flag = node.get("has_traffic_data");
        if (flag != null && !flag.isNull() && !flag.isBoolean()) {
            throw new TrafficInputException(source, line, index, "has_traffic_data", "expected true or false, got "
                    + flag);
        }
        return new TrafficRecord(text(node, "node_a_id", source, line, index),
                text(node, "node_b_id", source, line, index), timestamp(node, "timestamp", source, line, index, zone),
                number(node, "distance_km", source, line, index), number(node, "duration_sec", source, line, index),
                number(node, "speed_kmh", source, line, index), text(node, "api_type", source, line, index));
    }

    private static void checkFields(JsonNode node, Set<String> known, String source, int line, int index)
            throws TrafficInputException {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            if (!known.contains(name)) {
                throw new TrafficInputException(source, line, index, name, "unknown field; known: "
                        + new TreeSet<>(known));
            }
        }
    }

    private static String text(JsonNode node, String field, String source, int line, int index)
            throws TrafficInputException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new TrafficInputException(source, line, index, field, "expected text, got " + value);
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field, String source, int line, int index)
            throws TrafficInputException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Double.NaN;
        }
        if (!value.isNumber()) {
            throw new TrafficInputException(source, line, index, field, "expected a number, got " + value);
        }
        return value.asDouble();
    }

    private static LocalDateTime timestamp(JsonNode node, String field, String source, int line, int index,
                                           ZoneId zone) throws TrafficInputException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new TrafficInputException(source, line, index, field, "expected an ISO date-time text, got " + value);
        }
        return parseTimestamp(value.asText(), zone, source, line, index, field);
    }

    private static LocalDateTime parseTimestamp(String text, ZoneId zone, String source, int line, int index,
                                                String field) throws TrafficInputException {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return parseTimestamp(text, zone);
        } catch (DateTimeParseException e) {
            throw new TrafficInputException(source, line, index, field, "not an ISO date-time: '" + text + "'");
        }
    }

    private static double parseNumber(String text, String source, int line, int index, String field)
            throws TrafficInputException {
        if (text == null || text.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new TrafficInputException(source, line, index, field, "not a number: '" + text + "'");
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}

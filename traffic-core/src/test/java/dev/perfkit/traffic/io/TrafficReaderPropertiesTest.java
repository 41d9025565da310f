package dev.perfkit.traffic.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.validation.ValidationReport;
import dev.perfkit.traffic.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based: files of random valid rows, rows with one defect each (non-finite numbers, out-of-range values,
 * negative durations, missing fields, wrong types, huge values, bad timestamps, unknown fields, CSV rows with extra
 * or missing cells or broken quoting) and malformed files (truncated JSON, JSON that is not JSON, bad headers, random
 * text and bytes), read row by row ({@link TrafficReader#readJsonRows}, {@link TrafficReader#readCsvRows}). A row
 * with a defective cell is rejected alone, with reason {@code UNREADABLE:field} and a message naming its line and
 * record; a row the reader can read is kept or rejected by the {@link Validator} with the expected reason; every
 * valid row is kept. Structural damage ends in a {@link TrafficInputException} naming the source, and nothing else is
 * thrown.
 *
 * <p>Each row is generated with the outcome it must have, so the oracle is exact, not just "did not crash".
 */
class TrafficReaderPropertiesTest {

    /** Local time of Ho Chi Minh City (UTC+7) of row 0. */
    private static final LocalDateTime T0 = LocalDateTime.of(2025, 10, 30, 7, 0);
    private static final List<String> NUMBER_FIELDS = List.of("distance_km", "duration_sec", "speed_kmh");
    private static final List<String> REQUIRED = TrafficReader.CSV_REQUIRED_COLUMNS;
    private static final List<String> ALL_COLUMNS = List.of("node_a_id", "node_b_id", "timestamp", "distance_km",
            "duration_sec", "speed_kmh", "api_type", "has_traffic_data");
    private static final String CSV_HEADER = String.join(",", ALL_COLUMNS);
    /** Marks a value that is the row's own node_a_id (a self loop). */
    private static final String SAME_AS_NODE_A = "{A}";
    /** CSV pseudo-fields: one cell too many or too few. */
    private static final String EXTRA_CELL = "+cell";
    private static final String MISSING_CELL = "-cell";

    private static Path filesDir;

    /**
     * What a row with this defect must lead to: kept, rejected by the validator, rejected by the reader as
     * unreadable, or the whole file failing (JSON that is not JSON).
     */
    enum Outcome { CLEAN, REJECTED, UNREADABLE, FILE_ERROR }

    /**
     * One change to an otherwise valid row.
     *
     * @param field       the field changed (or added)
     * @param value       JSON literal or CSV cell; in JSON, null omits the field
     * @param reason      for REJECTED and UNREADABLE: the {@code CODE:field} the row must be rejected with
     * @param errorField  for UNREADABLE and FILE_ERROR: the field the error must name (null when it cannot: broken
     *                    syntax, a CSV row of the wrong shape)
     * @param namesRecord for UNREADABLE: whether the message can name the record (not when the line cannot be split)
     */
    record Defect(Outcome outcome, String field, String value, String reason, String errorField, boolean namesRecord) {
        static final Defect NONE = new Defect(Outcome.CLEAN, null, null, null, null, true);

        static Defect rejected(String field, String value, String code) {
            return new Defect(Outcome.REJECTED, field, value, code + ":" + field, null, true);
        }

        static Defect unreadable(String field, String value, String errorField) {
            return unreadable(field, value, errorField, true);
        }

        static Defect unreadable(String field, String value, String errorField, boolean namesRecord) {
            return new Defect(Outcome.UNREADABLE, field, value, TrafficReader.UNREADABLE_CODE + ":"
                    + (errorField == null ? "*" : errorField), errorField, namesRecord);
        }

        static Defect fileError(String field, String value) {
            return new Defect(Outcome.FILE_ERROR, field, value, null, null, true);
        }

        @Override
        public String toString() {
            return outcome == Outcome.CLEAN ? "clean" : outcome + " " + field + "=" + value;
        }
    }

    /** A row: valid numbers plus at most one defect. */
    record Row(double distanceKm, double durationSec, double speedKmh, Defect defect) {
    }

    @BeforeContainer
    static void createFilesDir() throws IOException {
        filesDir = Files.createTempDirectory("traffic-reader-properties");
    }

    @AfterContainer
    static void deleteFilesDir() throws IOException {
        try (var files = Files.list(filesDir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(filesDir);
    }

    // ---------------------------------------------------------------- JSON

    @Property(tries = 400)
    void json_rowsWithOneDefectEach_rejectedAloneWithTheirReason_orTheFileFailsNamed_validRowsKept(
            @ForAll("jsonRows") List<Row> rows, @ForAll("cuts") Double cut) {
        String source = "runs/prop-" + rows.size() + ".json";
        List<Integer> recordEnds = new ArrayList<>();
        String text = renderJson(rows, recordEnds);
        boolean truncated = cut >= 0;
        int cutAt = truncated ? (int) (cut * (text.length() - 1)) : text.length(); // always drops the closing ']'
        int firstError = firstFileError(rows);

        TrafficFile file;
        try {
            file = TrafficReader.readJsonRows(utf8(text.substring(0, cutAt)), source, CityTime.DEFAULT_ZONE);
        } catch (TrafficInputException e) {
            assertNamesSource(e, source);
            if (!truncated || (firstError >= 0 && recordEnds.get(firstError) < cutAt)) {
                assertThat(firstError).as("a file error is expected only from JSON that is not JSON: %s",
                        e.getMessage()).isNotNegative();
                assertThat(e.record()).as(e.getMessage()).isEqualTo(firstError);
                assertThat(e.line()).as(e.getMessage()).isEqualTo(firstError + 2); // '[' is line 1, a record per line
                assertThat(e.field()).as(e.getMessage()).isNull();
            } else {
                assertThat(e.record()).as(e.getMessage()).isLessThanOrEqualTo(
                        firstError >= 0 ? firstError : rows.size());
            }
            return;
        } catch (IOException e) {
            throw new AssertionError("not a TrafficInputException: " + e, e);
        }
        assertThat(truncated).as("a truncated file must not be accepted").isFalse();
        assertThat(firstError).as("row %d should have failed the file", firstError).isNegative();
        assertValidatedExactly(rows, file, source);
    }

    @Provide
    Arbitrary<List<Row>> jsonRows() {
        return rows(jsonDefects());
    }

    @Provide
    Arbitrary<Double> cuts() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(-1.0)),
                Tuple.of(1, Arbitraries.doubles().between(0, 1)));
    }

    private static Arbitrary<Defect> jsonDefects() {
        List<Defect> rejected = new ArrayList<>();
        for (String field : REQUIRED) {
            rejected.add(Defect.rejected(field, null, "MISSING"));      // field left out
            rejected.add(Defect.rejected(field, "null", "MISSING"));
        }
        rejected.add(Defect.rejected("node_a_id", "\"   \"", "MISSING"));
        rejected.add(Defect.rejected("node_b_id", "\"\"", "MISSING"));
        rejected.add(Defect.rejected("timestamp", "\"\"", "MISSING"));
        rejected.add(Defect.rejected("node_b_id", SAME_AS_NODE_A, "SELF_LOOP"));
        for (String huge : List.of("-0.5", "50.5", "1e300", "1e400", "123456789012345678901234567890")) {
            rejected.add(Defect.rejected("distance_km", huge, "OUT_OF_RANGE"));
        }
        for (String negative : List.of("-1", "-1e-9", "-1e400", "3600.5")) {
            rejected.add(Defect.rejected("duration_sec", negative, "OUT_OF_RANGE"));
        }
        for (String speed : List.of("-3", "120.01", "1.7976931348623157E308")) {
            rejected.add(Defect.rejected("speed_kmh", speed, "OUT_OF_RANGE"));
        }

        List<Defect> inputErrors = new ArrayList<>();
        for (String field : NUMBER_FIELDS) {
            for (String wrong : List.of("\"fast\"", "true", "[1]", "{\"value\": 1}")) {
                inputErrors.add(Defect.unreadable(field, wrong, field));
            }
            for (String nonFinite : List.of("NaN", "Infinity", "-Infinity")) {
                inputErrors.add(Defect.fileError(field, nonFinite)); // not JSON at all
            }
        }
        for (String field : List.of("node_a_id", "node_b_id", "api_type")) {
            for (String wrong : List.of("42", "false", "[\"a\"]")) {
                inputErrors.add(Defect.unreadable(field, wrong, field));
            }
        }
        for (String time : List.of("\"yesterday\"", "\"2025-13-01T00:00:00\"", "\"2025-10-30T25:00:00\"",
                "\"+999999999-12-31T23:59:59-18:00\"", "\"-999999999-01-01T00:00:00+18:00\"", "20251030",
                "\"not-a-time\"")) {
            inputErrors.add(Defect.unreadable("timestamp", time, "timestamp"));
        }
        inputErrors.add(Defect.unreadable("speed_mph", "12", "speed_mph"));
        inputErrors.add(Defect.unreadable("has_traffic_data", "\"yes\"", "has_traffic_data"));
        inputErrors.add(Defect.unreadable("has_traffic_data", "1", "has_traffic_data"));

        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(Defect.NONE)),
                Tuple.of(3, Arbitraries.of(rejected)),
                Tuple.of(1, Arbitraries.of(inputErrors)));
    }

    private static String renderJson(List<Row> rows, List<Integer> recordEnds) {
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> fields = baseline(i, rows.get(i), true);
            Defect defect = rows.get(i).defect();
            if (defect.outcome() != Outcome.CLEAN) {
                if (defect.value() == null) {
                    fields.remove(defect.field());
                } else {
                    fields.put(defect.field(), defect.value().replace(SAME_AS_NODE_A, fields.get("node_a_id")));
                }
            }
            StringBuilder record = new StringBuilder("{");
            fields.forEach((name, value) -> record.append(record.length() > 1 ? ", " : "").append('"').append(name)
                    .append("\": ").append(value));
            out.append("  ").append(record).append('}');
            recordEnds.add(out.length());
            out.append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        return out.append(']').toString();
    }

    // ---------------------------------------------------------------- CSV

    @Property(tries = 400)
    void csv_rowsWithOneDefectEach_rejectedAloneWithTheirReason_validRowsKept(@ForAll("csvRows") List<Row> rows) {
        String source = "runs/prop-" + rows.size() + ".csv";
        StringBuilder text = new StringBuilder(CSV_HEADER).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            text.append(renderCsvRow(i, rows.get(i))).append('\n');
        }

        TrafficFile file;
        try {
            file = TrafficReader.readCsvRows(new StringReader(text.toString()), source, CityTime.DEFAULT_ZONE);
        } catch (IOException e) {
            throw new AssertionError("a CSV file with a valid header failed as a whole: " + e, e);
        }
        assertValidatedExactly(rows, file, source);
    }

    @Provide
    Arbitrary<List<Row>> csvRows() {
        return rows(csvDefects());
    }

    private static Arbitrary<Defect> csvDefects() {
        List<Defect> rejected = new ArrayList<>();
        for (String field : REQUIRED) {
            rejected.add(Defect.rejected(field, "", "MISSING"));        // empty cell
        }
        rejected.add(Defect.rejected("distance_km", "NaN", "MISSING"));
        rejected.add(Defect.rejected("node_a_id", "   ", "MISSING"));
        rejected.add(Defect.rejected("node_b_id", SAME_AS_NODE_A, "SELF_LOOP"));
        for (String huge : List.of("-0.5", "50.5", "1e400", "Infinity")) {
            rejected.add(Defect.rejected("distance_km", huge, "OUT_OF_RANGE"));
        }
        for (String negative : List.of("-1", "-Infinity", "3600.5", "\"-7\"")) {
            rejected.add(Defect.rejected("duration_sec", negative, "OUT_OF_RANGE"));
        }
        for (String speed : List.of("-3", "120.01", "1e308")) {
            rejected.add(Defect.rejected("speed_kmh", speed, "OUT_OF_RANGE"));
        }

        List<Defect> inputErrors = new ArrayList<>();
        for (String field : NUMBER_FIELDS) {
            for (String wrong : List.of("abc", "1.2.3", "12km", "--1", "\"1,5\"")) {
                inputErrors.add(Defect.unreadable(field, wrong, field));
            }
        }
        for (String time : List.of("yesterday", "not-a-time", "2025-13-01T00:00:00",
                "+999999999-12-31T23:59:59-18:00")) {
            inputErrors.add(Defect.unreadable("timestamp", time, "timestamp"));
        }
        inputErrors.add(Defect.unreadable("has_traffic_data", "yes", "has_traffic_data"));
        inputErrors.add(Defect.unreadable(EXTRA_CELL, "surplus", null));
        inputErrors.add(Defect.unreadable(MISSING_CELL, null, null));
        inputErrors.add(Defect.unreadable("api_type", "\"real", null, false)); // unterminated quote
        inputErrors.add(Defect.unreadable("api_type", "\"real\"x", null, false));

        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(Defect.NONE)),
                Tuple.of(3, Arbitraries.of(rejected)),
                Tuple.of(1, Arbitraries.of(inputErrors)));
    }

    private static String renderCsvRow(int index, Row row) {
        Map<String, String> cells = baseline(index, row, false);
        Defect defect = row.defect();
        List<String> line = new ArrayList<>();
        for (String column : ALL_COLUMNS) {
            String cell = cells.get(column);
            if (column.equals(defect.field())) {
                cell = defect.value().replace(SAME_AS_NODE_A, cells.get("node_a_id"));
            }
            line.add(cell);
        }
        if (EXTRA_CELL.equals(defect.field())) {
            line.add(defect.value());
        } else if (MISSING_CELL.equals(defect.field())) {
            line.remove(line.size() - 1);
        }
        return String.join(",", line);
    }

    @Property(tries = 200)
    void csv_anyColumnOrder_isReadByName_andEveryBadHeaderIsNamed(@ForAll("headers") List<String> header,
                                                                 @ForAll("cleanRows") List<Row> rows) {
        String source = "header.csv";
        StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> cells = baseline(i, rows.get(i), false);
            List<String> line = new ArrayList<>();
            for (String column : header) {
                line.add(cells.getOrDefault(column.trim(), "x"));
            }
            text.append(String.join(",", line)).append('\n');
        }
        List<String> known = header.stream().map(String::trim).filter(ALL_COLUMNS::contains).toList();
        String unknown = header.stream().map(String::trim).filter(c -> !ALL_COLUMNS.contains(c)).findFirst()
                .orElse(null);
        String duplicate = known.stream().filter(c -> known.indexOf(c) != known.lastIndexOf(c)).findFirst()
                .orElse(null);
        String missing = REQUIRED.stream().filter(c -> !known.contains(c)).findFirst().orElse(null);

        TrafficInputException error = catchThrowableOfType(TrafficInputException.class,
                () -> TrafficReader.readCsvRows(new StringReader(text.toString()), source, CityTime.DEFAULT_ZONE));

        if (unknown == null && duplicate == null && missing == null) {
            assertThat(error).as("a valid header was refused").isNull();
            List<TrafficRecord> records = uncheckedCsv(text.toString(), source);
            assertThat(records).hasSize(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertThat(records.get(i)).isEqualTo(expected(i, rows.get(i), known.contains("api_type")));
            }
        } else {
            assertThat(error).as("a bad header was accepted: %s", header).isNotNull();
            assertNamesSource(error, source);
            assertThat(error.line()).isEqualTo(1);
            assertThat(error.record()).isEqualTo(-1);
            assertThat(error.field()).isIn(unknown, duplicate, missing);
        }
    }

    @Provide
    Arbitrary<List<String>> headers() {
        Arbitrary<String> strangers = Arbitraries.strings().withCharRange('a', 'z').withChars('_')
                .ofMinLength(1).ofMaxLength(12).filter(name -> !ALL_COLUMNS.contains(name));
        Arbitrary<List<String>> base = Arbitraries.subsetOf("api_type", "has_traffic_data").flatMap(optional -> {
            List<String> columns = new ArrayList<>(REQUIRED);
            columns.addAll(optional);
            return Arbitraries.shuffle(columns);
        });
        return Combinators.combine(base, Arbitraries.integers().between(0, 4), strangers,
                Arbitraries.integers().between(0, 5), Arbitraries.of("Speed_kmh", " speed_kmh ", "speed kmh"))
                .as((columns, kind, stranger, at, variant) -> {
                    List<String> header = new ArrayList<>(columns);
                    switch (kind) {
                        case 1 -> header.add(at % (header.size() + 1), stranger);                 // unknown column
                        case 2 -> header.remove(REQUIRED.get(at));                                // missing column
                        case 3 -> header.add(at % (header.size() + 1), REQUIRED.get(at));         // duplicate
                        case 4 -> header.set(header.indexOf("speed_kmh"), variant);               // near misses
                        default -> { }                                                            // valid
                    }
                    return header;
                });
    }

    @Provide
    Arbitrary<List<Row>> cleanRows() {
        return rows(Arbitraries.just(Defect.NONE)).map(rows -> rows.subList(0, Math.min(rows.size(), 5)));
    }

    // ---------------------------------------------------------------- noise

    @Property(tries = 500)
    void anyText_asJsonOrCsv_endsInRowsOrAnInputErrorNamingTheSource(@ForAll("noise") String text) {
        readEither(() -> TrafficReader.readJsonRows(utf8(text), "noise.json", CityTime.DEFAULT_ZONE), "noise.json");
        readEither(() -> TrafficReader.readCsvRows(new StringReader(text), "noise.csv", CityTime.DEFAULT_ZONE),
                "noise.csv");
        readEither(() -> TrafficReader.readCsvRows(new StringReader(CSV_HEADER + "\n" + text), "noise2.csv",
                        CityTime.DEFAULT_ZONE),
                "noise2.csv");
    }

    @Provide
    Arbitrary<String> noise() {
        String validJson = renderJson(List.of(new Row(1.2, 120, 36, Defect.NONE), new Row(0.8, 60, 48,
                Defect.NONE)), new ArrayList<>());
        String validCsv = CSV_HEADER + "\n" + renderCsvRow(0, new Row(1.2, 120, 36, Defect.NONE));
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(validJson, validCsv),
                Arbitraries.doubles().between(0, 1), Arbitraries.of(0, 1, 2),
                Arbitraries.chars().with('"', ',', '{', '}', '[', ']', ':', '\n', '\\', '\u0000', 'e', '-', '9',
                        '\uFEFF', '\u00e9'))
                .as((valid, at, operation, c) -> {
                    int position = (int) (at * valid.length());
                    StringBuilder edit = new StringBuilder(valid);
                    switch (operation) {
                        case 0 -> edit.insert(position, c);
                        case 1 -> edit.deleteCharAt(Math.min(position, valid.length() - 1));
                        default -> edit.setCharAt(Math.min(position, valid.length() - 1), c);
                    }
                    return edit.toString();
                });
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("[]{}\":,.-+eE0123456789 \ntrufalsnNIiy").ofMaxLength(200),
                mutated);
    }

    @Property(tries = 200)
    void anyBytes_inAJsonOrCsvFile_endInRowsOrAnInputErrorNamingTheFile(@ForAll("bytes") byte[] content)
            throws IOException {
        for (String name : List.of("fuzz.json", "fuzz.csv")) {
            Path file = Files.write(filesDir.resolve(name), content);
            readEither(() -> TrafficReader.readRows(file, CityTime.DEFAULT_ZONE), file.toString());
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        byte[] header = (CSV_HEADER + "\n").getBytes(StandardCharsets.UTF_8);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(random, random.map(tail -> {   // a good start, then anything
            byte[] all = new byte[header.length + tail.length];
            System.arraycopy(header, 0, all, 0, header.length);
            System.arraycopy(tail, 0, all, header.length, tail.length);
            return all;
        }), random.map(tail -> {                                // the byte patterns of UTF-16 and UTF-32 text
            byte[] all = new byte[tail.length + 4];
            all[3] = '[';
            System.arraycopy(tail, 0, all, 4, tail.length);
            return all;
        }));
    }

    // ---------------------------------------------------------------- helpers

    @FunctionalInterface
    private interface Read {
        TrafficFile read() throws IOException;
    }

    /**
     * Either rows (which the validator then accounts for, row by row, every unreadable row rejected with a message
     * naming the source) or a TrafficInputException naming the source.
     */
    private static void readEither(Read read, String source) {
        TrafficFile file;
        try {
            file = read.read();
        } catch (TrafficInputException e) {
            assertNamesSource(e, source);
            return;
        } catch (IOException e) {
            throw new AssertionError("an I/O exception that is not a TrafficInputException: " + e, e);
        }
        ValidationReport report = new Validator().validate(file.records(), file.rowDefects());
        assertThat(report.passedRows() + report.failedRows()).isEqualTo(file.records().size());
        assertThat(report.rejectedRows()).allSatisfy(rejected -> assertThat(rejected.reasons()).isNotEmpty());
        assertThat(file.rowDefects()).allSatisfy(defect -> assertThat(defect.message()).startsWith(source));
    }

    private static void assertNamesSource(TrafficInputException e, String source) {
        assertThat(e.source()).isEqualTo(source);
        assertThat(e.getMessage()).startsWith(source);
        if (e.record() >= 0) {
            assertThat(e.getMessage()).contains("record " + e.record());
        }
        if (e.line() > 0) {
            assertThat(e.getMessage()).contains("line " + e.line());
        }
    }

    /**
     * Every row has a record; rows with a REJECTED or UNREADABLE defect are rejected with exactly their reason (an
     * UNREADABLE one with a message naming the source, line, record and field); every CLEAN row is kept, unchanged,
     * in order.
     */
    private static void assertValidatedExactly(List<Row> rows, TrafficFile file, String source) {
        List<TrafficRecord> records = file.records();
        assertThat(records).hasSize(rows.size());
        ValidationReport report = new Validator().validate(records, file.rowDefects());
        List<TrafficRecord> expectedValid = new ArrayList<>();
        int expectedRejected = 0;
        int expectedUnreadable = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Defect defect = row.defect();
            if (defect.outcome() == Outcome.CLEAN) {
                assertThat(records.get(i)).isEqualTo(expected(i, row, true));
                expectedValid.add(records.get(i));
                continue;
            }
            expectedRejected++;
            int index = i;
            ValidationReport.RejectedRow rejected = report.rejectedRows().stream()
                    .filter(r -> r.row() == index).findFirst()
                    .orElseThrow(() -> new AssertionError("row " + index + " (" + defect + ") was not rejected"));
            assertThat(rejected.reasons()).as("row %d (%s)", i, defect).extracting(ValidationReport.Issue::reason)
                    .contains(defect.reason());
            if (defect.outcome() == Outcome.UNREADABLE) {
                expectedUnreadable++;
                String message = rejected.reasons().get(0).message();
                assertThat(message).as(message).startsWith(source).contains("line " + (i + 2)); // header is line 1
                if (defect.namesRecord()) {
                    assertThat(message).as(message).contains("record " + i);
                }
                if (defect.errorField() != null) {
                    assertThat(message).as(message).contains("field '" + defect.errorField() + "'");
                }
            }
        }
        assertThat(report.validRecords()).containsExactlyElementsOf(expectedValid);
        assertThat(report.failedRows()).isEqualTo(expectedRejected);
        assertThat(file.rowDefects()).hasSize(expectedUnreadable);
        assertThat(report.totalRows()).isEqualTo(rows.size());
    }

    private static Arbitrary<List<Row>> rows(Arbitrary<Defect> defects) {
        Arbitrary<Row> row = Combinators.combine(
                Arbitraries.doubles().between(0.05, 49.9).ofScale(3),
                Arbitraries.doubles().between(1, 3599).ofScale(1),
                Arbitraries.doubles().between(0.5, 119.5).ofScale(2),
                defects).as(Row::new);
        return row.list().ofMaxSize(12);
    }

    private static int firstFileError(List<Row> rows) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).defect().outcome() == Outcome.FILE_ERROR) {
                return i;
            }
        }
        return -1;
    }

    /** Field values of valid row {@code index}: JSON literals or CSV cells. Keys are unique per row. */
    private static Map<String, String> baseline(int index, Row row, boolean json) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("node_a_id", text("node-a-" + index, json));
        fields.put("node_b_id", text("node-b-" + index, json));
        fields.put("timestamp", text(timestampText(index), json));
        fields.put("distance_km", Double.toString(row.distanceKm()));
        fields.put("duration_sec", Double.toString(row.durationSec()));
        fields.put("speed_kmh", Double.toString(row.speedKmh()));
        fields.put("api_type", text("real", json));
        fields.put("has_traffic_data", "true");
        return fields;
    }

    /**
     * Row {@code index}'s timestamp in one of the three accepted forms: local time of Ho Chi Minh City without a zone,
     * the same instant in UTC with {@code Z}, or with {@code +07:00}. All three read as {@link #expectedInstant}.
     */
    private static String timestampText(int index) {
        LocalDateTime local = T0.plusMinutes(index);
        return switch (index % 3) {
            case 0 -> local.toString();
            case 1 -> local.minusHours(7) + "Z";
            default -> local + "+07:00";
        };
    }

    /** The UTC date-time of row {@code index}: its local time less 7 hours. */
    private static LocalDateTime expectedInstant(int index) {
        return T0.plusMinutes(index).minusHours(7);
    }

    private static TrafficRecord expected(int index, Row row, boolean withApiType) {
        return new TrafficRecord("node-a-" + index, "node-b-" + index, expectedInstant(index), row.distanceKm(),
                row.durationSec(), row.speedKmh(), withApiType ? "real" : null);
    }

    private static String text(String value, boolean json) {
        return json ? "\"" + value + "\"" : value;
    }

    private static ByteArrayInputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<TrafficRecord> uncheckedCsv(String text, String source) {
        try {
            return TrafficReader.readCsv(new StringReader(text), source);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

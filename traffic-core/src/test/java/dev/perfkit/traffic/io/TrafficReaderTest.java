package dev.perfkit.traffic.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.validation.ValidationReport;
import dev.perfkit.traffic.validation.Validator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficReaderTest {

    @TempDir
    Path dir;

    private static List<TrafficRecord> sample() {
        List<TrafficRecord> records = new ArrayList<>(ReplaySource.bundledRuns().get(0).records().subList(0, 5));
        records.add(new TrafficRecord("node, with comma", "node \"quoted\"", LocalDateTime.of(2025, 10, 9, 0, 0),
                Double.NaN, 0, 30, null));
        return records;
    }

    @Test
    void json_roundTrip() throws IOException {
        Path file = dir.resolve("runs.json");
        List<TrafficRecord> records = sample();

        TrafficWriter.writeJson(file, records);

        assertThat(TrafficReader.read(file)).isEqualTo(records);
    }

    @Test
    void csv_roundTrip() throws IOException {
        Path file = dir.resolve("runs.csv");
        List<TrafficRecord> records = sample();

        TrafficWriter.writeCsv(file, records);

        assertThat(TrafficReader.read(file)).isEqualTo(records);
    }

    @Test
    void parseTimestamp_withoutZone_isLocalTimeOfTheCity_andAnOffsetIsTakenAsGiven() {
        LocalDateTime halfPastMidnightUtc = LocalDateTime.of(2025, 10, 30, 0, 30);

        assertThat(TrafficReader.parseTimestamp("2025-10-30T07:30:00")).isEqualTo(halfPastMidnightUtc);
        assertThat(TrafficReader.parseTimestamp("2025-10-30 07:30:00")).isEqualTo(halfPastMidnightUtc);
        assertThat(TrafficReader.parseTimestamp("2025-10-30T00:30:00Z")).isEqualTo(halfPastMidnightUtc);
        assertThat(TrafficReader.parseTimestamp("2025-10-30T07:30:00+07:00")).isEqualTo(halfPastMidnightUtc);
        assertThat(TrafficReader.parseTimestamp("2025-10-30T00:30:00", ZoneOffset.UTC)).isEqualTo(halfPastMidnightUtc);
        assertThat(TrafficReader.parseTimestamp("2025-10-30T09:30:00", ZoneId.of("Asia/Tokyo")))
                .isEqualTo(halfPastMidnightUtc);
    }

    @Test
    void csv_zoneOfTheReader_appliesToLocalTimestampsOnly() throws IOException {
        String csv = """
                node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh
                a,b,2025-10-30T07:30:00,1,60,60
                a,b,2025-10-30T07:30:00Z,1,60,60
                """;

        List<TrafficRecord> city = TrafficReader.readCsv(new java.io.StringReader(csv), "z.csv");
        List<TrafficRecord> utc = TrafficReader.readCsv(new java.io.StringReader(csv), "z.csv", ZoneOffset.UTC);

        assertThat(city).extracting(TrafficRecord::timestamp)
                .containsExactly(LocalDateTime.of(2025, 10, 30, 0, 30), LocalDateTime.of(2025, 10, 30, 7, 30));
        assertThat(utc).extracting(TrafficRecord::timestamp)
                .containsExactly(LocalDateTime.of(2025, 10, 30, 7, 30), LocalDateTime.of(2025, 10, 30, 7, 30));
    }

    @Test
    void json_bundledRunFile_readsAllRecords() throws IOException {
        Path file = dir.resolve("run.json");
        try (var in = TrafficReaderTest.class.getResourceAsStream(
                "/dev/perfkit/traffic/data/hcmc/runs/run_20251030_032440.json")) {
            Files.copy(in, file);
        }

        List<TrafficRecord> records = TrafficReader.readJson(file);

        assertThat(records).isEqualTo(ReplaySource.bundledRuns().get(0).records());
    }

    @Test
    void json_malformedSyntax_namesFileLineAndRecord() throws IOException {
        Path file = write("bad.json", """
                [
                  {"node_a_id": "a", "node_b_id": "b", "timestamp": "2025-10-30T03:24:51", "speed_kmh": 20},
                  {"node_a_id": "a", "node_b_id": "c", "speed_kmh": 20,,}
                ]
                """);

        assertThatThrownBy(() -> TrafficReader.readJson(file))
                .isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("line 3").hasMessageContaining("record 1")
                .hasMessageContaining("malformed JSON")
                .satisfies(e -> assertThat(((TrafficInputException) e).line()).isEqualTo(3));
    }

    @Test
    void json_wrongTypeUnknownFieldOrBadTimestamp_namesTheField() throws IOException {
        Path wrongType = write("type.json", """
                [{"node_a_id": "a", "node_b_id": "b", "speed_kmh": "fast"}]""");
        Path unknown = write("unknown.json", """
                [{"node_a_id": "a", "node_b_id": "b",
                  "speed_mph": 12}]""");
        Path badTime = write("time.json", """
                [{"node_a_id": "a"}, {"node_a_id": "a", "timestamp": "yesterday"}]""");

        assertThatThrownBy(() -> TrafficReader.readJson(wrongType)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("type.json").hasMessageContaining("record 0")
                .hasMessageContaining("field 'speed_kmh'").hasMessageContaining("\"fast\"");
        assertThatThrownBy(() -> TrafficReader.readJson(unknown)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("line 1").hasMessageContaining("field 'speed_mph'")
                .hasMessageContaining("unknown field");
        assertThatThrownBy(() -> TrafficReader.readJson(badTime)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("record 1").hasMessageContaining("field 'timestamp'")
                .hasMessageContaining("'yesterday'");
    }

    @Test
    void json_notAnArray_rejected() throws IOException {
        Path file = write("object.json", "{\"node_a_id\": \"a\"}");

        assertThatThrownBy(() -> TrafficReader.readJson(file)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("expected a JSON array");
    }

    @Test
    void csv_nonNumber_namesFileLineRecordAndField() throws IOException {
        Path file = write("bad.csv", """
                node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh,api_type
                a,b,2025-10-30T03:24:51,0.9,143,24.6,real
                a,c,2025-10-30T03:24:52,0.9,abc,24.6,real
                """);

        assertThatThrownBy(() -> TrafficReader.readCsv(file))
                .isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("bad.csv").hasMessageContaining("line 3").hasMessageContaining("record 1")
                .hasMessageContaining("field 'duration_sec'").hasMessageContaining("'abc'")
                .satisfies(e -> {
                    TrafficInputException input = (TrafficInputException) e;
                    assertThat(input.line()).isEqualTo(3);
                    assertThat(input.record()).isEqualTo(1);
                    assertThat(input.field()).isEqualTo("duration_sec");
                });
    }

    @Test
    void csv_structuralProblems_rejectedPrecisely() throws IOException {
        Path cells = write("cells.csv", """
                node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh
                a,b,2025-10-30T03:24:51,0.9,143
                """);
        Path unknown = write("unknown.csv", "node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_mph\n");
        Path missing = write("missing.csv", "node_a_id,node_b_id,timestamp,distance_km,duration_sec\n");
        Path quote = write("quote.csv", """
                node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh
                "a,b,2025-10-30T03:24:51,0.9,143,20
                """);

        assertThatThrownBy(() -> TrafficReader.readCsv(cells)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("line 2").hasMessageContaining("expected 6 cells").hasMessageContaining("got 5");
        assertThatThrownBy(() -> TrafficReader.readCsv(unknown)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("line 1").hasMessageContaining("field 'speed_mph'")
                .hasMessageContaining("unknown column");
        assertThatThrownBy(() -> TrafficReader.readCsv(missing)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("field 'speed_kmh'").hasMessageContaining("required column missing");
        assertThatThrownBy(() -> TrafficReader.readCsv(quote)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("line 2").hasMessageContaining("unterminated");
    }

    @Test
    void csv_rowsThatParseButAreInvalid_areReturnedForTheValidator() throws IOException {
        Path file = write("mixed.csv", """
                node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh,api_type,has_traffic_data
                a,b,2025-10-30 03:24:51,0.9,143,22.6,real,true
                ,c,2025-10-30T03:24:52Z,0.9,-3,24.6,real,
                a,d,2025-10-30T10:24:53+07:00,0.9,143,500,real,false
                """);

        List<TrafficRecord> records = TrafficReader.read(file);
        ValidationReport report = new Validator().validate(records);

        assertThat(records).hasSize(3);
        assertThat(records.get(0).timestamp()).isEqualTo(LocalDateTime.of(2025, 10, 29, 20, 24, 51)); // local, UTC+7
        assertThat(records.get(2).timestamp()).isEqualTo(LocalDateTime.of(2025, 10, 30, 3, 24, 53));
        assertThat(records.get(1).nodeAId()).isNull();
        assertThat(report.passedRows()).isEqualTo(1);
        assertThat(report.rejectionReasonCounts()).containsOnlyKeys("MISSING:node_a_id",
                "OUT_OF_RANGE:duration_sec", "OUT_OF_RANGE:speed_kmh");
    }

    @Test
    void readRows_csvWithABadTimestampAndANonNumber_rejectsThoseRowsOnly_withLineFieldAndValue() throws IOException {
        Path file = write("mixed.csv", """
                node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh
                a,b,2025-10-30T03:24:51,0.9,143,22.6
                a,c,not-a-time,0.9,143,22.6
                a,d,2025-10-30T03:24:53,0.9,1o0,22.6
                a,e,2025-10-30T03:24:54,0.9,143,22.6
                """);

        TrafficFile read = TrafficReader.readRows(file, CityTime.DEFAULT_ZONE);
        ValidationReport report = new Validator().validate(read.records(), read.rowDefects());

        assertThat(read.records()).hasSize(4);
        assertThat(report.validRecords()).extracting(TrafficRecord::nodeBId).containsExactly("b", "e");
        assertThat(report.rejectionReasonCounts()).containsOnly(Map.entry("UNREADABLE:timestamp", 1),
                Map.entry("UNREADABLE:duration_sec", 1));
        assertThat(read.rowDefects()).extracting(ValidationReport.Issue::row).containsExactly(1, 2);
        assertThat(read.rowDefects().get(0).message()).contains("mixed.csv").contains("line 3")
                .contains("field 'timestamp'").contains("'not-a-time'");
        assertThat(read.rowDefects().get(1).message()).contains("line 4").contains("field 'duration_sec'")
                .contains("'1o0'");
    }

    @Test
    void readRows_structuralDamage_failsTheWholeFileNamingIt() throws IOException {
        Path duplicateHeader = write("dup.csv", "node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh,"
                + "speed_kmh\na,b,2025-10-30T03:24:51,0.9,143,22.6,22.6\n");
        Path truncated = write("cut.json", "[{\"node_a_id\": \"a\", \"node_b_id\": \"b\", \"timestamp\": "
                + "\"2025-10-30T03:24:51\", \"distance_km\": 1, \"duration_sec\": 60, \"speed_kmh\": 60},\n"
                + "{\"node_a_id\": \"a\", \"node_b");
        Path notUtf8 = dir.resolve("latin1.csv");
        Files.write(notUtf8, ("node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh\n"
                + "caf\u00e9,b,2025-10-30T03:24:51,0.9,143,22.6\n").getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> TrafficReader.readRows(duplicateHeader, CityTime.DEFAULT_ZONE))
                .isInstanceOf(TrafficInputException.class).hasMessageContaining("dup.csv")
                .hasMessageContaining("duplicate column");
        assertThatThrownBy(() -> TrafficReader.readRows(truncated, CityTime.DEFAULT_ZONE))
                .isInstanceOf(TrafficInputException.class).hasMessageContaining("cut.json")
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> TrafficReader.readRows(notUtf8, CityTime.DEFAULT_ZONE))
                .isInstanceOf(TrafficInputException.class).hasMessageContaining("latin1.csv")
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void readRows_jsonWithAWrongType_rejectsThatRecordOnly() throws IOException {
        Path file = write("typed.json", """
                [
                  {"node_a_id": "a", "node_b_id": "b", "timestamp": "2025-10-30T03:24:51", "distance_km": 1.0,
                   "duration_sec": 100, "speed_kmh": 36.0},
                  {"node_a_id": "a", "node_b_id": "c", "timestamp": "2025-10-30T03:24:51", "distance_km": "far",
                   "duration_sec": 100, "speed_kmh": 36.0}
                ]
                """);

        TrafficFile read = TrafficReader.readRows(file, CityTime.DEFAULT_ZONE);

        assertThat(read.records()).hasSize(2);
        assertThat(read.records().get(0).nodeBId()).isEqualTo("b");
        assertThat(read.rowDefects()).singleElement().satisfies(defect -> {
            assertThat(defect.row()).isEqualTo(1);
            assertThat(defect.reason()).isEqualTo("UNREADABLE:distance_km");
            assertThat(defect.message()).contains("typed.json").contains("record 1").contains("\"far\"");
        });
    }

    @Test
    void read_unsupportedExtension_rejected() throws IOException {
        Path file = write("runs.txt", "[]");

        assertThatThrownBy(() -> TrafficReader.read(file)).isInstanceOf(TrafficInputException.class)
                .hasMessageContaining("runs.txt").hasMessageContaining(".json or .csv");
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}

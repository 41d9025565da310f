package dev.perfkit.traffic.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.traffic.model.TrafficRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes traffic records as JSON or CSV in the shape {@link TrafficReader} reads (missing values as JSON
 * {@code null} or an empty CSV cell). Numbers are written so that they read back exactly; timestamps are UTC with
 * {@code Z} ({@code 2025-10-30T00:30:00Z}). Stateless and thread-safe.
 */
public final class TrafficWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CSV_HEADER = "node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh,api_type";

    private TrafficWriter() {
    }

    public static void writeJson(Path file, List<TrafficRecord> records) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeJson(out, records);
        }
    }

    /** Writes a pretty-printed JSON array to the stream (not closed). */
    public static void writeJson(OutputStream out, List<TrafficRecord> records) throws IOException {
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.useDefaultPrettyPrinter();
            json.writeStartArray();
            for (TrafficRecord r : records) {
                json.writeStartObject();
                json.writeStringField("node_a_id", r.nodeAId());
                json.writeStringField("node_b_id", r.nodeBId());
                json.writeStringField("timestamp", format(r.timestamp()));
                writeNumber(json, "distance_km", r.distanceKm());
                writeNumber(json, "duration_sec", r.durationSec());
                writeNumber(json, "speed_kmh", r.speedKmh());
                json.writeStringField("api_type", r.apiType());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
    }

    public static void writeCsv(Path file, List<TrafficRecord> records) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writeCsv(out, records);
        }
    }

    /** Writes a header row and one row per record to the writer (flushed, not closed). */
    public static void writeCsv(Writer out, List<TrafficRecord> records) throws IOException {
        out.write(CSV_HEADER);
        out.write('\n');
        StringBuilder row = new StringBuilder();
        for (TrafficRecord r : records) {
            row.setLength(0);
            row.append(cell(r.nodeAId())).append(',')
                    .append(cell(r.nodeBId())).append(',')
                    .append(cell(format(r.timestamp()))).append(',')
                    .append(number(r.distanceKm())).append(',')
                    .append(number(r.durationSec())).append(',')
                    .append(number(r.speedKmh())).append(',')
                    .append(cell(r.apiType())).append('\n');
            out.write(row.toString());
        }
        out.flush();
    }

    private static String format(LocalDateTime timestamp) {
        // the model's timestamps are UTC (CityTime): written with Z, so they read back as the same instant
        return timestamp == null ? null : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(timestamp) + "Z";
    }

    private static void writeNumber(JsonGenerator json, String field, double value) throws IOException {
        if (Double.isNaN(value)) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}

package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.internal.JsonWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JSON document of timer snapshots:
 * <pre>{@code
 * {"timers": [{"name": "traffic.storage.save", "unit": "nanoseconds", "description": "", "tags": {},
 *              "count": 12, "errors": 0, "errorsByType": {}, "clamped": 0,
 *              "meanNanos": 812345.5, "minNanos": ..., "p50Nanos": ..., "p90Nanos": ..., "p99Nanos": ...,
 *              "p999Nanos": ..., "maxNanos": ..., "totalNanos": ..., "targetNanos": 100000000 | null,
 *              "status": "met", "met": true | false | null}]}
 * }</pre>
 * Value keys end in {@code Nanos} for time and {@code Bytes} for allocation timers. {@code met} is null when the timer
 * has no target or no data. Strings are escaped for embedding in HTML too ({@code <}, {@code >}, {@code &}, lone
 * surrogates as unicode escapes). Stateless and thread-safe.
 */
public final class JsonReport {

    private JsonReport() {
    }

    /** The document for {@code snapshots}, in their order. */
    public static String render(List<TimerSnapshot> snapshots) {
        StringBuilder out = new StringBuilder(400 * snapshots.size() + 16);
        out.append("{\"timers\":[");
        for (int i = 0; i < snapshots.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendTimer(out, snapshots.get(i));
        }
        return out.append("]}").toString();
    }

    private static void appendTimer(StringBuilder out, TimerSnapshot s) {
        String u = s.unit() == MetricUnit.BYTES ? "Bytes" : "Nanos";
        out.append("{\"name\":");
        string(out, s.name());
        out.append(",\"unit\":");
        string(out, s.unit().label());
        out.append(",\"description\":");
        string(out, s.id().description());
        out.append(",\"tags\":");
        object(out, s.id().tags());
        out.append(",\"count\":").append(s.count());
        out.append(",\"errors\":").append(s.errors());
        out.append(",\"errorsByType\":");
        object(out, s.errorsByType());
        out.append(",\"clamped\":").append(s.clamped());
        out.append(",\"mean").append(u).append("\":").append(s.mean());
        out.append(",\"min").append(u).append("\":").append(s.min());
        out.append(",\"p50").append(u).append("\":").append(s.p50());
        out.append(",\"p90").append(u).append("\":").append(s.p90());
        out.append(",\"p99").append(u).append("\":").append(s.p99());
        out.append(",\"p999").append(u).append("\":").append(s.p999());
        out.append(",\"max").append(u).append("\":").append(s.max());
        out.append(",\"total").append(u).append("\":").append(s.total());
        out.append(",\"target").append(u).append("\":").append(s.id().hasTarget() ? Long.toString(s.id().target()) : "null");
        out.append(",\"startEpochMillis\":").append(s.startEpochMillis());
        out.append(",\"endEpochMillis\":").append(s.endEpochMillis());
        out.append(",\"status\":");
        string(out, s.targetStatus().label());
        out.append(",\"met\":").append(switch (s.targetStatus()) {
            case MET -> "true";
            case MISSED -> "false";
            default -> "null";
        });
        out.append('}');
    }

    private static void object(StringBuilder out, Map<String, ?> map) {
        new JsonWriter(out).value(new TreeMap<>(map)); // sorted keys: a stable document
    }

    private static void string(StringBuilder out, String value) {
        JsonWriter.string(out, value);
    }
}

package dev.perfkit.export;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for the library's own documents (no dependency). Strings are escaped for safe embedding in
 * HTML as well: {@code <}, {@code >} and {@code &} become unicode escapes. Not thread-safe; one per document.
 */
public final class Json {

    private final StringBuilder out = new StringBuilder(256);

    /** Appends any supported value: null, String, Number, Boolean, Map (string keys), Collection, double[] or long[]. */
    public Json value(Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            JsonReport.string(out, s);
        } else if (value instanceof Double d) {
            out.append(Double.isFinite(d) ? d.toString() : "null");
        } else if (value instanceof Float f) {
            out.append(Float.isFinite(f) ? f.toString() : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                JsonReport.string(out, String.valueOf(e.getKey()));
                out.append(':');
                value(e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                value(item);
            }
            out.append(']');
        } else if (value instanceof double[] array) {
            out.append('[');
            for (int i = 0; i < array.length; i++) {
                out.append(i == 0 ? "" : ",");
                value(array[i]);
            }
            out.append(']');
        } else if (value instanceof long[] array) {
            out.append('[');
            for (int i = 0; i < array.length; i++) {
                out.append(i == 0 ? "" : ",").append(array[i]);
            }
            out.append(']');
        } else if (value instanceof RawJson raw) {
            out.append(raw.json());
        } else {
            JsonReport.string(out, value.toString());
        }
        return this;
    }

    /** A value serialised on its own. */
    public static String of(Object value) {
        return new Json().value(value).toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** Already-serialised JSON, embedded as is. */
    public record RawJson(String json) {
    }
}

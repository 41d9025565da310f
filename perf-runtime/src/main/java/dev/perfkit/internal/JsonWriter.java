package dev.perfkit.internal;

import java.util.Collection;
import java.util.Map;

/**
 * The one JSON writer of the library (no dependency): the JSON report and the dashboard's documents are written with
 * it. Values: null, {@code String}, {@code Number} (non-finite doubles become {@code null}), {@code Boolean},
 * {@code Map} (keys written with {@code String.valueOf}, in the map's order), {@code Collection}, {@code long[]},
 * {@code double[]}; anything else is written as its {@code toString()}.
 *
 * <p>Strings are escaped so that the output is valid JSON, valid UTF-8 and safe to embed in HTML and JavaScript:
 * quotes, backslashes and control characters; {@code <}, {@code >} and {@code &} (so {@code </script>} cannot close
 * a script element); U+2028 and U+2029; and a lone surrogate (which has no UTF-8 encoding) as its {@code \\u}
 * escape. Not thread-safe; one per document.
 */
public final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    /** {@code value} as a JSON document. */
    public static String of(Object value) {
        StringBuilder out = new StringBuilder(256);
        new JsonWriter(out).value(value);
        return out.toString();
    }

    /** Appends {@code value} (see the class comment for the types). */
    public JsonWriter value(Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Double d) {
            number(d);
        } else if (value instanceof Float f) {
            number(f.doubleValue());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                string(out, String.valueOf(e.getKey()));
                out.append(':');
                value(e.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                out.append(first ? "" : ",");
                first = false;
                value(item);
            }
            out.append(']');
        } else if (value instanceof double[] array) {
            out.append('[');
            for (int i = 0; i < array.length; i++) {
                out.append(i == 0 ? "" : ",");
                number(array[i]);
            }
            out.append(']');
        } else if (value instanceof long[] array) {
            out.append('[');
            for (int i = 0; i < array.length; i++) {
                out.append(i == 0 ? "" : ",").append(array[i]);
            }
            out.append(']');
        } else {
            string(out, value.toString());
        }
        return this;
    }

    private void number(double d) {
        if (Double.isFinite(d)) {
            out.append(d);
        } else {
            out.append("null");
        }
    }

    /** Appends {@code value} as a JSON string literal, escaped as the class comment says. */
    public static void string(StringBuilder out, String value) {
        out.append('"');
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        escape(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i)); // a whole pair: one supplementary character
                    } else if (Character.isSurrogate(c)) {
                        escape(out, c); // lone: no UTF-8 encoding, so escape it rather than let it become '?'
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void escape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
    }
}

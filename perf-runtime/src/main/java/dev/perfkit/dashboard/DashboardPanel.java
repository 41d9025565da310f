package dev.perfkit.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A host-defined panel on the dashboard page. The page renders three kinds: a key/value table, a line chart of time
 * series, and a scatter of points coloured by value (e.g. intersections by current speed). Suppliers are called on
 * the dashboard's HTTP threads whenever the page refreshes, so they must be thread-safe and cheap; a supplier that
 * throws shows an error in its panel and does not affect the rest of the page.
 */
public interface DashboardPanel {

    /** Stable identifier, {@code [a-z0-9-]+}. */
    String id();

    /** Title shown above the panel (rendered as text, never as HTML). */
    String title();

    /** The panel's JSON-able content: its kind plus data. */
    Map<String, Object> content();

    /** A table of label/value rows, in the supplier's iteration order. */
    static DashboardPanel keyValues(String id, String title, Supplier<Map<String, ?>> rows) {
        Objects.requireNonNull(rows, "rows");
        return new Simple(id, title, () -> {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("kind", "kv");
            Map<String, String> text = new LinkedHashMap<>();
            rows.get().forEach((k, v) -> text.put(k, String.valueOf(v)));
            content.put("rows", text);
            return content;
        });
    }

    /**
     * Line chart: series name to points {@code [epochMillis, value]}, oldest first.
     *
     * @param unit label of the values' unit, e.g. {@code "%"}
     */
    static DashboardPanel series(String id, String title, String unit, Supplier<Map<String, List<double[]>>> series) {
        Objects.requireNonNull(series, "series");
        return new Simple(id, title, () -> {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("kind", "series");
            content.put("unit", unit);
            content.put("series", series.get());
            return content;
        });
    }

    /**
     * Scatter of points at {@code (x, y)} (e.g. longitude, latitude) coloured by {@code value} from red (low) to green
     * (high) between {@code low} and {@code high}.
     */
    static DashboardPanel points(String id, String title, String unit, double low, double high,
                                 Supplier<List<Point>> points) {
        Objects.requireNonNull(points, "points");
        return new Simple(id, title, () -> {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("kind", "points");
            content.put("unit", unit);
            content.put("low", low);
            content.put("high", high);
            List<Map<String, Object>> list = points.get().stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("x", p.x());
                m.put("y", p.y());
                m.put("value", p.value());
                m.put("label", p.label());
                return m;
            }).toList();
            content.put("points", list);
            return content;
        });
    }

    /** One point of a {@link #points} panel; {@code value} may be NaN for "no data". */
    record Point(double x, double y, double value, String label) {
    }

    /** A panel backed by a content supplier. */
    record Simple(String id, String title, Supplier<Map<String, Object>> supplier) implements DashboardPanel {
        public Simple {
            if (id == null || !id.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("panel id must match [a-z0-9-]+, was '" + id + "'");
            }
            Objects.requireNonNull(title, "title");
        }

        @Override
        public Map<String, Object> content() {
            return supplier.get();
        }
    }
}

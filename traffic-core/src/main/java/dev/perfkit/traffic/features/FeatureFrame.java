package dev.perfkit.traffic.features;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Feature columns for a batch of rows: named {@code double} columns of equal length, row {@code i} describing row
 * {@code i} of the input. Missing values are {@code NaN}, never zero. Immutable and thread-safe; {@link #column}
 * returns copies.
 */
public final class FeatureFrame {

    private final int rowCount;
    private final List<FeatureColumn> columns;
    private final double[][] values;
    private final Map<String, Integer> indexByName;

    FeatureFrame(int rowCount, List<FeatureColumn> columns, double[][] values) {
        if (columns.size() != values.length) {
            throw new IllegalArgumentException(columns.size() + " column descriptions for " + values.length + " columns");
        }
        this.rowCount = rowCount;
        this.columns = List.copyOf(columns);
        this.values = values;
        this.indexByName = new HashMap<>();
        for (int c = 0; c < this.columns.size(); c++) {
            if (values[c].length != rowCount) {
                throw new IllegalArgumentException("column " + columns.get(c).name() + " has " + values[c].length
                        + " rows, expected " + rowCount);
            }
            indexByName.put(this.columns.get(c).name(), c);
        }
    }

    public int rowCount() {
        return rowCount;
    }

    public int columnCount() {
        return columns.size();
    }

    /** The column catalogue, in column order. */
    public List<FeatureColumn> columns() {
        return columns;
    }

    public List<String> columnNames() {
        return columns.stream().map(FeatureColumn::name).toList();
    }

    public boolean hasColumn(String name) {
        return indexByName.containsKey(name);
    }

    /**
     * Index of a column.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public int columnIndex(String name) {
        Integer index = indexByName.get(Objects.requireNonNull(name, "name"));
        if (index == null) {
            throw new IllegalArgumentException("unknown feature column '" + name + "'; known: " + columnNames());
        }
        return index;
    }

    /** One value; NaN when missing. */
    public double value(String column, int row) {
        return value(columnIndex(column), row);
    }

    /** One value by column index; NaN when missing. */
    public double value(int columnIndex, int row) {
        return values[columnIndex][Objects.checkIndex(row, rowCount)];
    }

    /** A copy of one column. */
    public double[] column(String name) {
        return values[columnIndex(name)].clone();
    }

    /** Bytes held by the value arrays (8 per value, excluding array headers). */
    public long valueBytes() {
        return (long) rowCount * columns.size() * Double.BYTES;
    }

    @Override
    public String toString() {
        return "FeatureFrame[rows=" + rowCount + ", columns=" + columns.size() + "]";
    }
}

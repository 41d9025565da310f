package dev.perfkit.traffic.features;

/**
 * Describes one column of a {@link FeatureFrame}.
 *
 * @param name    column name, lower_snake_case, unique within a frame
 * @param group   {@code base}, {@code temporal}, {@code spatial} or {@code lag}
 * @param meaning what the value is, including how a missing value is shown
 * @param unit    unit of the value ({@code km/h}, {@code s}, {@code 0/1} for flags, {@code 1} for dimensionless)
 */
public record FeatureColumn(String name, String group, String meaning, String unit) {
}

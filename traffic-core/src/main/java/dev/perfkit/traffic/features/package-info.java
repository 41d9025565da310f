/**
 * Temporal, spatial and lag features: {@link dev.perfkit.traffic.features.FeatureEngineer} turns
 * {@link dev.perfkit.traffic.model.TrafficColumns} into a {@link dev.perfkit.traffic.features.FeatureFrame} of named
 * {@code double} columns; the column catalogue (name, meaning, unit) is in {@code FeatureEngineer}'s documentation and
 * available at run time.
 */
package dev.perfkit.traffic.features;

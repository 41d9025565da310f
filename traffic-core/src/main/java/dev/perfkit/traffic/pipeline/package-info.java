/**
 * One cycle of collect, validate, store, features and forecast: {@link dev.perfkit.traffic.pipeline.TrafficPipeline}
 * returns a {@link dev.perfkit.traffic.pipeline.CycleSummary} with counts and stage durations.
 */
package dev.perfkit.traffic.pipeline;

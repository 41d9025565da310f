/**
 * One cycle of collect, validate, store, features and forecast: {@link dev.perfkit.traffic.pipeline.TrafficPipeline}
 * returns a {@link dev.perfkit.traffic.pipeline.CycleSummary} with counts and stage durations;
 * {@link dev.perfkit.traffic.pipeline.FileCycle} runs one cycle over a traffic file of any size in bounded batches.
 */
package dev.perfkit.traffic.pipeline;

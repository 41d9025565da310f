/**
 * Where travel times come from: {@link dev.perfkit.traffic.collect.DirectionsSource}, with the bundled
 * {@link dev.perfkit.traffic.collect.ReplaySource} (the default, no network) and a seeded
 * {@link dev.perfkit.traffic.collect.SimulatedSource}; a source's failure is a
 * {@link dev.perfkit.traffic.collect.CollectionException}. The HTTP collectors (a directions API, an Open-Meteo-style
 * weather API) and the plumbing they share live in {@code dev.perfkit.traffic.collect.http}.
 */
package dev.perfkit.traffic.collect;

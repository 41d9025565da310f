/**
 * Where travel times come from: {@link dev.perfkit.traffic.collect.DirectionsSource} with the bundled
 * {@link dev.perfkit.traffic.collect.ReplaySource} (the default, no network), a seeded
 * {@link dev.perfkit.traffic.collect.SimulatedSource}, and HTTP clients for a directions API and an Open-Meteo-style
 * weather API with rate limiting, retries, timeouts, bounded parallelism, caching and API-key masking. Time is
 * injectable ({@link dev.perfkit.NanoClock}, {@link dev.perfkit.traffic.collect.Sleeper},
 * {@link dev.perfkit.traffic.collect.ManualClock} for tests).
 */
package dev.perfkit.traffic.collect;

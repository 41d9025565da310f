/**
 * The HTTP collectors and the plumbing they share: {@link dev.perfkit.traffic.collect.http.HttpDirectionsClient} (a
 * {@code DirectionsSource} backed by a directions API) and {@link dev.perfkit.traffic.collect.http.WeatherClient}
 * (an Open-Meteo-style weather API), both configured through
 * {@link dev.perfkit.traffic.collect.http.HttpClientBuilder}: rate limiting
 * ({@link dev.perfkit.traffic.collect.http.RateLimiter}), retries with backoff
 * ({@link dev.perfkit.traffic.collect.http.RetryPolicy}), timeouts, bounded parallelism, caching and API-key masking
 * ({@link dev.perfkit.traffic.collect.http.ApiKey}). Time is injectable ({@link dev.perfkit.NanoClock},
 * {@link dev.perfkit.traffic.collect.http.Sleeper}, {@link dev.perfkit.traffic.collect.http.ManualClock} for tests).
 */
package dev.perfkit.traffic.collect.http;

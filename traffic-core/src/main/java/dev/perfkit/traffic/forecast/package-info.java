/**
 * Speed forecasts per edge: persistence, exponential smoothing, a time-of-day profile, the pipeline's
 * {@link dev.perfkit.traffic.forecast.TrafficForecaster}, and
 * {@link dev.perfkit.traffic.forecast.WalkForwardEvaluation}, which scores every model by MAE on later runs.
 */
package dev.perfkit.traffic.forecast;

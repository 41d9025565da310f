/**
 * The traffic domain's values: {@link dev.perfkit.traffic.model.Node}, {@link dev.perfkit.traffic.model.Edge},
 * {@link dev.perfkit.traffic.model.RoadNetwork} (with the bundled Ho Chi Minh City network),
 * {@link dev.perfkit.traffic.model.TrafficRecord}, {@link dev.perfkit.traffic.model.WeatherSample},
 * {@link dev.perfkit.traffic.model.TrafficRun}, and {@link dev.perfkit.traffic.model.TrafficColumns}, the columnar
 * (primitive-array) form used for feature engineering and forecasting. Timestamps are UTC date-times; input without a
 * zone is local time of the city (see {@link dev.perfkit.traffic.model.CityTime}).
 */
package dev.perfkit.traffic.model;

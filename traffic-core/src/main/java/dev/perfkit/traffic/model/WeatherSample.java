package dev.perfkit.traffic.model;

import java.time.LocalDateTime;

/**
 * Weather at one place and time.
 *
 * @param nodeId          the intersection the sample was taken for; null for a bare coordinate look-up
 * @param lat             latitude in degrees
 * @param lon             longitude in degrees
 * @param timestamp       sample time as a UTC date-time ({@link CityTime})
 * @param temperatureC    air temperature in degrees Celsius; NaN when missing
 * @param precipitationMm precipitation in millimetres over the reporting interval; NaN when missing
 * @param windSpeedKmh    wind speed in km/h; NaN when missing
 */
public record WeatherSample(String nodeId, double lat, double lon, LocalDateTime timestamp, double temperatureC,
                            double precipitationMm, double windSpeedKmh) {
}

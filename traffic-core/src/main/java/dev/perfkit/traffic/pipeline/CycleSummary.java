package dev.perfkit.traffic.pipeline;

import dev.perfkit.traffic.forecast.Forecast;
import dev.perfkit.traffic.validation.ValidationReport;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one pipeline cycle did. Immutable.
 *
 * @param runTimestamp       start of the collected run (UTC)
 * @param source             the source's name ({@code replay}, {@code simulated}, {@code http})
 * @param rowsCollected      records collected
 * @param rowsValid          records that passed validation
 * @param rowsRejected       records rejected: by validation, plus the valid ones the store skipped as duplicates
 * @param rejectionReasons   rejected rows per reason ({@code CODE:field}), see {@link ValidationReport}; records the
 *                           store already held count under {@code DUPLICATE:stored}
 * @param warnings           validation warnings (rows kept)
 * @param rowsShorterThanStraightLine valid rows whose road distance is shorter than the great-circle distance between
 *                           their endpoints (kept, counted; see the pipeline's validate stage)
 * @param rowsStored         records written to the store (the valid ones, less duplicates of stored records)
 * @param rowsDeleted        records deleted by retention after the store, 0 without a retention window
 * @param retention          the retention window, or null when retention is off
 * @param featureRows        rows of the feature frame (this run plus the recent history kept for lags)
 * @param featureColumns     columns of the feature frame
 * @param forecastCount      predictions made: edges x horizons
 * @param horizonsMinutes    forecast horizons
 * @param meanForecastKmh    mean of all predictions, km/h
 * @param profileActive      whether the time-of-day profile took part in the forecast
 * @param collectNanos       wall time of the collect stage, ns
 * @param validateNanos      wall time of the validate stage, ns
 * @param storeNanos         wall time of the store stage, ns
 * @param retentionNanos     wall time of the retention stage (its own transaction), ns; 0 when retention is off
 * @param featuresNanos      wall time of the features stage, ns
 * @param forecastNanos      wall time of the forecast stage, ns
 * @param totalNanos         wall time of the whole cycle, ns
 * @param validation         the full validation report
 * @param forecast           the full forecast
 */
public record CycleSummary(LocalDateTime runTimestamp, String source, int rowsCollected, int rowsValid,
                           int rowsRejected, Map<String, Integer> rejectionReasons, int warnings,
                           int rowsShorterThanStraightLine, int rowsStored, int rowsDeleted, Duration retention,
                           int featureRows, int featureColumns, int forecastCount, List<Integer> horizonsMinutes,
                           double meanForecastKmh, boolean profileActive, long collectNanos, long validateNanos,
                           long storeNanos, long retentionNanos, long featuresNanos, long forecastNanos, long totalNanos,
                           ValidationReport validation, Forecast forecast) {

    public CycleSummary {
        rejectionReasons = Map.copyOf(rejectionReasons);
        horizonsMinutes = List.copyOf(horizonsMinutes);
    }

    /** Stage durations in cycle order: collect, validate, store, retention (only when configured), features, forecast (ns). */
    public Map<String, Long> stageNanos() {
        Map<String, Long> stages = new LinkedHashMap<>();
        stages.put("collect", collectNanos);
        stages.put("validate", validateNanos);
        stages.put("store", storeNanos);
        if (retention != null) {
            stages.put("retention", retentionNanos);
        }
        stages.put("features", featuresNanos);
        stages.put("forecast", forecastNanos);
        return stages;
    }

    /** One line for logs. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "cycle %s [%s]: collected=%d valid=%d rejected=%d %s warnings=%d "
                        + "shorter-than-straight-line=%d stored=%d deleted=%d (retention %s) features=%dx%d forecasts=%d (mean %.1f km/h, profile %s) stages(ms): %s total=%.3f",
                runTimestamp, source, rowsCollected, rowsValid, rowsRejected, rejectionReasons, warnings,
                rowsShorterThanStraightLine, rowsStored, rowsDeleted, retention == null ? "off" : retention,
                featureRows, featureColumns, forecastCount, meanForecastKmh, profileActive ? "on" : "off",
                stageMillis(), totalNanos / 1e6);
    }

    private String stageMillis() {
        StringBuilder sb = new StringBuilder();
        stageNanos().forEach((stage, nanos) -> sb.append(stage).append('=')
                .append(String.format(Locale.ROOT, "%.3f", nanos / 1e6)).append(' '));
        return sb.toString().trim();
    }
}

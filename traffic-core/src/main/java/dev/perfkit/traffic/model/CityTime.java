package dev.perfkit.traffic.model;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * The time convention of traffic data. Every timestamp held by the model ({@link TrafficRecord#timestamp()},
 * {@link TrafficRun#runTimestamp()}, {@link WeatherSample#timestamp()}) is a UTC date-time: the instant, as a
 * {@link LocalDateTime} at offset zero. Input without a zone is local time of a city, by default
 * {@link #DEFAULT_ZONE} (Ho Chi Minh City, UTC+7 all year, no daylight saving time); calendar features (hour, rush
 * hours, weekend, holidays) are computed in that zone. Stateless and thread-safe.
 */
public final class CityTime {

    /** Ho Chi Minh City: UTC+07:00 all year. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    private CityTime() {
    }

    /** A local date-time of {@code zone} as a UTC date-time (for a gap or overlap, the earlier offset is used). */
    public static LocalDateTime toUtc(LocalDateTime local, ZoneId zone) {
        return local.atZone(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    /** A UTC date-time as local date-time of {@code zone}. */
    public static LocalDateTime toLocal(LocalDateTime utc, ZoneId zone) {
        return utc.atOffset(ZoneOffset.UTC).atZoneSameInstant(zone).toLocalDateTime();
    }

    /** The local epoch second of {@code zone} at UTC epoch second {@code epochSecond}: UTC plus the zone's offset. */
    public static long localEpochSecond(long epochSecond, ZoneRules rules) {
        if (rules.isFixedOffset()) {
            return epochSecond + rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds();
        }
        return epochSecond + rules.getOffset(java.time.Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    }
}

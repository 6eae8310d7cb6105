package dev.kappa.examples.incidents;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A weather station's 10-minute mean wind speed, as it arrives on {@code wind-readings} (key = site
 * id). The station names the area it stands in, the same area codes that emergency calls carry:
 *
 * <pre>{@code
 * {"siteId":"s-017","area":"north-3","metresPerSecond":23.4,"timestamp":"2026-11-22T10:00:00Z"}
 * }</pre>
 *
 * @param siteId the weather station
 * @param area the area the station stands in
 * @param metresPerSecond the wind speed; never negative in a valid reading
 * @param timestamp the event time, ISO-8601 UTC
 */
public record WindReading(
    @Nullable String siteId,
    @Nullable String area,
    @Nullable Double metresPerSecond,
    @Nullable Instant timestamp) {}

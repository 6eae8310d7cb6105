package dev.kappa.examples.incidents;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An emergency call, as it arrives on {@code emergency-calls} (key = call id), with the area the
 * caller is in:
 *
 * <pre>{@code
 * {"callId":"c-90211","area":"north-3","timestamp":"2026-11-22T10:04:10Z"}
 * }</pre>
 *
 * @param callId the call
 * @param area the area the caller is in
 * @param timestamp the event time, ISO-8601 UTC
 */
public record EmergencyCall(
    @Nullable String callId, @Nullable String area, @Nullable Instant timestamp) {}

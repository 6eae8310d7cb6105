package dev.kappa.examples.rollups;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One reading of a smart electricity meter, as it arrives on {@code meter-readings} (key = meter
 * id):
 *
 * <pre>{@code
 * {"meterId":"m-0042","wattHours":125,"calibration":false,"timestamp":"2026-01-31T23:59:30Z"}
 * }</pre>
 *
 * <p>Every field may be missing in a malformed reading; {@link RollupsJob#problem} says which.
 *
 * @param meterId the meter that took the reading
 * @param wattHours the energy used since the meter's previous reading; never negative in a valid
 *     reading
 * @param calibration whether a technician's test pulse produced the reading, not a customer's use
 *     (v2 leaves these out); missing means false
 * @param timestamp the event time, ISO-8601 UTC
 */
public record MeterReading(
    @Nullable String meterId,
    @Nullable Long wattHours,
    @Nullable Boolean calibration,
    @Nullable Instant timestamp) {

  /** Whether a technician's test produced the reading. */
  public boolean isCalibration() {
    return Boolean.TRUE.equals(calibration);
  }
}

package dev.kappa.reprocessing.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a version's source partitions are aligned by event time on this instance.
 *
 * <p>While any source partition of the version lags, every instance passes a source record to Kafka
 * Streams only when its event time is at most {@code maxSkew} after the version's low watermark:
 * the event time of the oldest uncommitted record over every source partition, on every instance,
 * that is not at its end. Windows are then exact as long as the disorder inside one source
 * partition, plus {@code maxSkew}, stays within their grace: compare {@code observedDisorder}.
 *
 * @param aligning whether records are aligned now; false once every partition has caught up
 * @param watermark the low watermark at the last release, if one partition held it
 * @param maxSkew how far after the watermark a record may be released
 * @param observedDisorder the largest disorder seen inside one source partition while aligning: how
 *     far a record's event time was behind an earlier record of its partition
 * @param heldRecords records held back so far on this instance
 * @param heldNow records held back now on this instance
 * @param realignments how often alignment was turned on again after the version had caught up
 */
public record Alignment(
    boolean aligning,
    Optional<Instant> watermark,
    Duration maxSkew,
    Duration observedDisorder,
    long heldRecords,
    int heldNow,
    long realignments) {

  /** Checks the parts. */
  public Alignment {
    Objects.requireNonNull(watermark, "watermark");
    Objects.requireNonNull(maxSkew, "maxSkew");
    Objects.requireNonNull(observedDisorder, "observedDisorder");
  }
}

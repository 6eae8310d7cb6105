package dev.kappa.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The event times a {@link Source} accepts: none before {@code earliest}, none more than {@code
 * aheadOfClock} ahead of the reading instance's clock.
 *
 * <p>A single record with a time far in the future moves stream time forward, and every window
 * closes behind it: the records after it are dropped as late. A time far in the past is usually a
 * unit mistake (seconds read as milliseconds) or a default value. A record outside the bounds goes
 * to the dead-letter topic with the reason, before anything of the job reads its time.
 *
 * <p>The default, {@link #DEFAULT}, accepts times from 2000-01-01T00:00:00Z to one day ahead of the
 * clock. A source of older history, or a simulation whose event time runs past the clock, widens
 * them:
 *
 * <pre>{@code
 * Source.of("readings", Codec.string(), Codec.json(Reading.class))
 *     .withEventTime(Reading::timestamp)
 *     .withEventTimeBounds(EventTimeBounds.of(Instant.parse("1990-01-01T00:00:00Z"), Duration.ofDays(7)));
 * }</pre>
 *
 * @param earliest the earliest event time accepted
 * @param aheadOfClock how far ahead of the clock an event time may be; not negative
 */
public record EventTimeBounds(Instant earliest, Duration aheadOfClock) {

  /** From 2000-01-01T00:00:00Z to one day ahead of the clock. */
  public static final EventTimeBounds DEFAULT =
      new EventTimeBounds(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofDays(1));

  /** Checks that both are present and that {@code aheadOfClock} is not negative. */
  public EventTimeBounds {
    Objects.requireNonNull(earliest, "earliest");
    Objects.requireNonNull(aheadOfClock, "aheadOfClock");
    if (aheadOfClock.isNegative()) {
      throw new IllegalArgumentException("aheadOfClock must not be negative, was " + aheadOfClock);
    }
  }

  /** Times from {@code earliest} to {@code aheadOfClock} ahead of the clock. */
  public static EventTimeBounds of(Instant earliest, Duration aheadOfClock) {
    return new EventTimeBounds(earliest, aheadOfClock);
  }

  /** Why {@code time} is out of bounds when the clock says {@code now}, or empty if it is not. */
  public Optional<String> problem(Instant time, Instant now) {
    if (time.isBefore(earliest)) {
      return Optional.of(
          "event time "
              + time
              + " is before "
              + earliest
              + ", the earliest this source accepts; if such times are valid, widen"
              + " Source.withEventTimeBounds");
    }
    if (time.isAfter(now.plus(aheadOfClock))) {
      return Optional.of(
          "event time "
              + time
              + " is more than "
              + aheadOfClock
              + " ahead of this instance's clock ("
              + now
              + "); if such times are valid, widen Source.withEventTimeBounds");
    }
    return Optional.empty();
  }
}

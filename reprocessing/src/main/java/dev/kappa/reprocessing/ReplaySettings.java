package dev.kappa.reprocessing;

import java.time.Duration;
import java.util.Objects;

/**
 * How a host replays and decides that a version has caught up.
 *
 * <ul>
 *   <li>{@code maxEventTimeSkew} (1 s): while a version replays, a record of a source partition is
 *       passed to Kafka Streams only when its log timestamp is at most this far ahead of the next
 *       record of every other source partition being replayed, so records are processed in about
 *       the order they were appended, as they were live. Keep it well below the grace period of the
 *       job's windows.
 *   <li>{@code catchUpLag} (1,000 records): a version has caught up when the lag of its consumer
 *       group is at most this on every partition it reads (sources and repartition topics): a
 *       version under steady load always lags by the records of a commit interval or two,
 *   <li>{@code settlingPeriod} (3 s): ... and its stores are restored, and both have held for this
 *       long;
 *   <li>{@code checkInterval} (500 ms): how often progress is measured.
 * </ul>
 *
 * <pre>{@code
 * ReplaySettings settings = ReplaySettings.defaults().withCatchUpLag(10).withSettlingPeriod(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ReplaySettings {

  private final Duration maxEventTimeSkew;
  private final long catchUpLag;
  private final Duration settlingPeriod;
  private final Duration checkInterval;

  private ReplaySettings(
      Duration maxEventTimeSkew, long catchUpLag, Duration settlingPeriod, Duration checkInterval) {
    this.maxEventTimeSkew = positiveOrZero(maxEventTimeSkew, "maxEventTimeSkew");
    if (catchUpLag < 0) {
      throw new IllegalArgumentException("catchUpLag must be 0 or more records, was " + catchUpLag);
    }
    this.catchUpLag = catchUpLag;
    this.settlingPeriod = positiveOrZero(settlingPeriod, "settlingPeriod");
    this.checkInterval = positiveOrZero(checkInterval, "checkInterval");
    if (checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval must be positive, was " + checkInterval);
    }
  }

  /** 1 s skew, 1,000 records of lag, 3 s settling, a check every 500 ms. */
  public static ReplaySettings defaults() {
    return new ReplaySettings(
        Duration.ofSeconds(1), 1_000, Duration.ofSeconds(3), Duration.ofMillis(500));
  }

  /** The bound on the log-time skew across the source partitions being replayed. */
  public Duration maxEventTimeSkew() {
    return maxEventTimeSkew;
  }

  /** The largest lag, in records, on any partition of a version that has caught up. */
  public long catchUpLag() {
    return catchUpLag;
  }

  /** How long the catch-up condition must hold. */
  public Duration settlingPeriod() {
    return settlingPeriod;
  }

  /** How often progress is measured. */
  public Duration checkInterval() {
    return checkInterval;
  }

  /** A copy with another skew bound. */
  public ReplaySettings withMaxEventTimeSkew(Duration skew) {
    return new ReplaySettings(skew, catchUpLag, settlingPeriod, checkInterval);
  }

  /** A copy with another catch-up lag. */
  public ReplaySettings withCatchUpLag(long records) {
    return new ReplaySettings(maxEventTimeSkew, records, settlingPeriod, checkInterval);
  }

  /** A copy with another settling period. */
  public ReplaySettings withSettlingPeriod(Duration period) {
    return new ReplaySettings(maxEventTimeSkew, catchUpLag, period, checkInterval);
  }

  /** A copy with another check interval. */
  public ReplaySettings withCheckInterval(Duration interval) {
    return new ReplaySettings(maxEventTimeSkew, catchUpLag, settlingPeriod, interval);
  }

  private static Duration positiveOrZero(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return "ReplaySettings[skew "
        + maxEventTimeSkew
        + ", catch-up lag "
        + catchUpLag
        + ", settling "
        + settlingPeriod
        + ", every "
        + checkInterval
        + "]";
  }
}

package dev.kappa.reprocessing;

import dev.kappa.topology.JobTopology;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a host aligns versions by event time and decides that a version has caught up.
 *
 * <ul>
 *   <li>{@code maxEventTimeSkew} (half the smallest grace of the job's windows and joins; 1 s for a
 *       job without any that {@code JobStreamsBuilder} knows of): while a version aligns, a record
 *       of a source partition is passed to Kafka Streams only when its event time is at most this
 *       far after the low watermark, the event time of the oldest uncommitted record of every
 *       source partition of the version on every instance. Windows are exact when this plus the
 *       disorder inside one source partition is at most their grace. A host refuses to start with a
 *       skew set at or above the smallest grace of one of its versions, and warns of a skew of 0 (a
 *       step without grace), with which the partitions take turns commit by commit;
 *   <li>{@code catchUpLag} (1,000 records): a version has caught up when the lag of its consumer
 *       group is at most this on every partition it reads (sources and repartition topics): a
 *       version under steady load always lags by the records of a commit interval or two. While a
 *       source partition lags by more, the version aligns by event time;
 *   <li>{@code settlingPeriod} (3 s): ... and its stores are restored, and both have held for this
 *       long;
 *   <li>{@code checkInterval} (500 ms): how often progress is measured;
 *   <li>{@code catchUp} (none): Kafka Streams settings for a version while it catches up ({@link
 *       CatchUpConfig}).
 * </ul>
 *
 * <pre>{@code
 * ReplaySettings settings = ReplaySettings.defaults().withCatchUpLag(10).withSettlingPeriod(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Immutable.
 */
public final class ReplaySettings {

  private final @Nullable Duration maxEventTimeSkew;
  private final long catchUpLag;
  private final Duration settlingPeriod;
  private final Duration checkInterval;
  private final boolean aligned;
  private final CatchUpConfig catchUp;

  private static final Duration DEFAULT_SKEW = Duration.ofSeconds(1);

  private ReplaySettings(
      @Nullable Duration maxEventTimeSkew,
      long catchUpLag,
      Duration settlingPeriod,
      Duration checkInterval,
      boolean aligned,
      CatchUpConfig catchUp) {
    this.aligned = aligned;
    this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
    this.maxEventTimeSkew =
        maxEventTimeSkew == null ? null : positiveOrZero(maxEventTimeSkew, "maxEventTimeSkew");
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

  /** Half the smallest grace as skew, 1,000 records of lag, 3 s settling, a check every 500 ms. */
  public static ReplaySettings defaults() {
    return new ReplaySettings(
        null, 1_000, Duration.ofSeconds(3), Duration.ofMillis(500), true, CatchUpConfig.none());
  }

  /** The bound on the event-time skew across source partitions, if one was set. */
  public Optional<Duration> maxEventTimeSkew() {
    return Optional.ofNullable(maxEventTimeSkew);
  }

  /**
   * The bound on the event-time skew for {@code topology}: the one set, or half its smallest grace,
   * or 1 s if it has no window or join that {@code JobStreamsBuilder} built.
   *
   * @throws IllegalArgumentException if the skew set is not below the topology's smallest grace, so
   *     that alignment could not keep its windows and joins exact; the message names the step with
   *     that grace
   */
  public Duration maxEventTimeSkew(JobTopology topology) {
    Optional<Duration> grace = topology.smallestGrace();
    if (maxEventTimeSkew == null) {
      return grace.map(g -> g.dividedBy(2)).orElse(DEFAULT_SKEW);
    }
    if (grace.isPresent() && maxEventTimeSkew.compareTo(grace.get()) >= 0) {
      String step = topology.smallestGraceStep().orElseThrow();
      throw new IllegalArgumentException(
          "Cannot align job '"
              + topology.job().name()
              + "' ("
              + topology.applicationId()
              + ") with a maximum event-time skew of "
              + maxEventTimeSkew
              + ": its step '"
              + step
              + "' has the smallest grace, "
              + grace.get()
              + ", and while the job replays or lags, records up to the skew plus the disorder of"
              + " a partition behind the others would be dropped there as late. Set a skew below "
              + grace.get()
              + " (half of it leaves room for disorder) with ReplaySettings#withMaxEventTimeSkew,"
              + " leave it unset, or give '"
              + step
              + "' a larger grace.");
    }
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

  /**
   * A copy with another skew bound, for every version of a host: keep it below the smallest grace
   * of each ({@link #maxEventTimeSkew(JobTopology)}).
   */
  public ReplaySettings withMaxEventTimeSkew(Duration skew) {
    return new ReplaySettings(
        Objects.requireNonNull(skew, "skew"),
        catchUpLag,
        settlingPeriod,
        checkInterval,
        aligned,
        catchUp);
  }

  /** A copy with another catch-up lag. */
  public ReplaySettings withCatchUpLag(long records) {
    return new ReplaySettings(
        maxEventTimeSkew, records, settlingPeriod, checkInterval, aligned, catchUp);
  }

  /** A copy with another settling period. */
  public ReplaySettings withSettlingPeriod(Duration period) {
    return new ReplaySettings(
        maxEventTimeSkew, catchUpLag, period, checkInterval, aligned, catchUp);
  }

  /** A copy with another check interval. */
  public ReplaySettings withCheckInterval(Duration interval) {
    return new ReplaySettings(
        maxEventTimeSkew, catchUpLag, settlingPeriod, interval, aligned, catchUp);
  }

  /** Whether versions align their sources by event time while they lag; true by default. */
  public boolean aligned() {
    return aligned;
  }

  /**
   * A copy that does not align: records reach Kafka Streams as they are fetched, and a version
   * drops records as late wherever a backlog is processed faster in one partition than in another
   * (several instances, a bulk-loaded topic). Only for jobs without windows or joins, or to measure
   * what alignment costs.
   */
  public ReplaySettings withoutAlignment() {
    return new ReplaySettings(
        maxEventTimeSkew, catchUpLag, settlingPeriod, checkInterval, false, catchUp);
  }

  /** The Kafka Streams settings of a version while it catches up; none by default. */
  public CatchUpConfig catchUp() {
    return catchUp;
  }

  /** A copy whose versions catch up with {@code catchUp}'s settings over the job's. */
  public ReplaySettings withCatchUp(CatchUpConfig catchUp) {
    return new ReplaySettings(
        maxEventTimeSkew, catchUpLag, settlingPeriod, checkInterval, aligned, catchUp);
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
        + (maxEventTimeSkew == null ? "half the smallest grace" : maxEventTimeSkew)
        + ", catch-up lag "
        + catchUpLag
        + ", settling "
        + settlingPeriod
        + ", every "
        + checkInterval
        + (aligned ? "" : ", not aligned")
        + (catchUp.isEmpty() ? "" : ", catching up with " + catchUp)
        + "]";
  }
}

package dev.kappa.reprocessing.replay;

import dev.kappa.reprocessing.JobVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How far a version has replayed its sources, measured from its consumer group's committed offsets
 * against the end offsets of the sources when it started (the target) and now (the lag).
 *
 * <pre>{@code
 * ReplayProgress progress = host.progress(JobVersion.of("network-usage", 2)).orElseThrow();
 * System.out.println(progress);
 * // 'network-usage' v2: 41,200 of 60,000 records (68.7%), 9,850/s, about 2 s left, lag 18,800 ...
 * }</pre>
 *
 * @param version the version
 * @param at when it was measured
 * @param partitions each source partition
 * @param replayed records replayed, over all source partitions
 * @param target records to replay, over all source partitions
 * @param inputLag records not yet committed, over every partition the version reads: sources and
 *     its repartition topics
 * @param recordsPerSecond the replay rate over the last measurements
 * @param timeLeft the time left to the target at that rate; empty if the rate is zero or the target
 *     is reached
 * @param lateDropped records the version dropped because they arrived after the grace period of
 *     their window or join, on every instance (Kafka Streams' dropped records less the dead
 *     letters); more than zero means its results miss valid records
 * @param lateDroppedByStep the same by step of the topology: the serving tables and joins of the
 *     sub-topology whose tasks dropped them
 * @param alignment how the version's sources are aligned by event time on this instance
 * @param caughtUp whether the registry lists the version as caught up
 */
public record ReplayProgress(
    JobVersion version,
    Instant at,
    List<PartitionProgress> partitions,
    long replayed,
    long target,
    long inputLag,
    double recordsPerSecond,
    Optional<Duration> timeLeft,
    long lateDropped,
    Map<String, Long> lateDroppedByStep,
    Alignment alignment,
    boolean caughtUp) {

  /** Checks the parts. */
  public ReplayProgress {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(at, "at");
    partitions = List.copyOf(partitions);
    Objects.requireNonNull(timeLeft, "timeLeft");
    lateDroppedByStep = Collections.unmodifiableMap(new TreeMap<>(lateDroppedByStep));
    Objects.requireNonNull(alignment, "alignment");
  }

  /** The replayed fraction of the target, from 0 to 1 (1 for an empty target). */
  public double fraction() {
    return target == 0 ? 1 : Math.min(1, (double) replayed / target);
  }

  /** Whether every source partition reached its target. */
  public boolean reachedTarget() {
    return partitions.stream().allMatch(PartitionProgress::reachedTarget);
  }

  private String aligned() {
    if (!alignment.aligning()) {
      return "";
    }
    return ", aligned by event time"
        + alignment.watermark().map(watermark -> " at " + watermark).orElse("")
        + " (skew "
        + alignment.maxSkew().toSeconds()
        + " s, disorder seen "
        + alignment.observedDisorder().toMillis() / 1000.0
        + " s)";
  }

  @Override
  public String toString() {
    if (reachedTarget() && !caughtUp) {
      return String.format(
          "%s: replayed all %,d records; catching up with what arrived since: lag %,d, %,d dropped"
              + " as late%s",
          version, target, inputLag, lateDropped, aligned());
    }
    return String.format(
        "%s: %,d of %,d records (%.1f%%), %,.0f/s, %s, lag %,d, %,d dropped as late%s%s",
        version,
        replayed,
        target,
        100 * fraction(),
        recordsPerSecond,
        timeLeft.map(left -> "about " + Math.max(1, left.toSeconds()) + " s left").orElse("-"),
        inputLag,
        lateDropped,
        aligned(),
        caughtUp ? ", caught up" : "");
  }
}

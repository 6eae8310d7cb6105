package dev.kappa.reprocessing.internal;

import dev.kappa.reprocessing.JobVersion;
import dev.kappa.reprocessing.ReplaySettings;
import dev.kappa.topology.JobTopology;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before a host starts, that aligning a version by event time can keep its windows and
 * joins exact and still move on.
 *
 * <ul>
 *   <li>A skew set at or above the smallest grace of the version is an error: every replay would
 *       drop records as late at that step, and the swap to the version would be refused once it had
 *       caught up, so the whole replay would be wasted. It is refused before anything runs.
 *   <li>A skew of zero (the default for a job whose smallest grace is zero, or set so) is allowed
 *       but warned of: a source partition then passes a record only when no other partition has an
 *       uncommitted record before it, so the partitions take turns and wait for each other's
 *       commits, and a replay of interleaved event times crawls at about one record per partition
 *       per commit interval. It does not stall, and a version that does not lag is not aligned.
 * </ul>
 */
public final class AlignmentCheck {

  private static final Logger log = LoggerFactory.getLogger(AlignmentCheck.class);

  private AlignmentCheck() {}

  /**
   * Checks {@code version}, whose topology is {@code topology}, against {@code settings}, and logs
   * a warning if its skew is zero.
   *
   * @return the warning logged, if any
   * @throws IllegalArgumentException if the skew set is not below the version's smallest grace,
   *     naming the step that has it, its grace and the skew
   */
  public static Optional<String> check(
      JobVersion version, JobTopology topology, ReplaySettings settings) {
    if (!settings.aligned()) {
      return Optional.empty();
    }
    Duration skew = settings.maxEventTimeSkew(topology);
    if (!skew.isZero()) {
      return Optional.empty();
    }
    String warning =
        version
            + " aligns its sources with a maximum event-time skew of 0"
            + why(topology, settings)
            + ": while it replays or lags, a source partition passes a record only when no other"
            + " partition has an uncommitted record before it, so the partitions take turns and"
            + " wait for each other's commits, about one record per partition per commit interval"
            + " where event times interleave. A replay of a large log crawls. "
            + fix(topology, settings);
    log.warn("{}", warning);
    return Optional.of(warning);
  }

  private static String why(JobTopology topology, ReplaySettings settings) {
    if (settings.maxEventTimeSkew().isPresent()) {
      return ", as ReplaySettings set it";
    }
    return ", half the grace of its step '"
        + topology.smallestGraceStep().orElseThrow()
        + "', which is "
        + topology.smallestGrace().orElseThrow();
  }

  private static String fix(JobTopology topology, ReplaySettings settings) {
    Optional<String> step = topology.smallestGraceStep();
    if (settings.maxEventTimeSkew().isPresent() && step.isPresent()) {
      return "Set a skew above 0 and below "
          + topology.smallestGrace().orElseThrow()
          + ", the grace of step '"
          + step.get()
          + "', or leave it unset.";
    }
    if (settings.maxEventTimeSkew().isPresent()) {
      return "Set a skew above 0, or leave it unset.";
    }
    return "Give '"
        + step.orElseThrow()
        + "' a grace of at least the disorder of its sources plus the skew to replay with (with a"
        + " grace of 0, a record that arrives after stream time has passed its window is dropped"
        + " as late even without a replay).";
  }
}

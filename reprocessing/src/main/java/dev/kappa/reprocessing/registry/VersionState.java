package dev.kappa.reprocessing.registry;

import dev.kappa.reprocessing.JobVersion;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the registry knows about one version.
 *
 * @param version the version
 * @param status where it is in its life
 * @param partialHistory whether it was started on sources whose history was incomplete
 * @param swapWhenCaughtUp whether it becomes active by itself when it has caught up
 * @param startedBy the instance that started it; null if not known
 * @param lateDropped the records it dropped as late, on every instance, while it caught up (0 until
 *     it has)
 */
public record VersionState(
    JobVersion version,
    VersionStatus status,
    boolean partialHistory,
    boolean swapWhenCaughtUp,
    @Nullable String startedBy,
    long lateDropped) {

  /** Checks the parts. */
  public VersionState {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(status, "status");
  }

  VersionState withStatus(VersionStatus next) {
    return new VersionState(
        version, next, partialHistory, swapWhenCaughtUp, startedBy, lateDropped);
  }

  VersionState caughtUp(long lateDroppedWhileCatchingUp) {
    return new VersionState(
        version,
        VersionStatus.CAUGHT_UP,
        partialHistory,
        swapWhenCaughtUp,
        startedBy,
        lateDroppedWhileCatchingUp);
  }
}

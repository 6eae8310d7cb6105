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
 * @param replayer the instance that runs it alone until it has caught up; null for every instance
 */
public record VersionState(
    JobVersion version,
    VersionStatus status,
    boolean partialHistory,
    boolean swapWhenCaughtUp,
    @Nullable String replayer) {

  /** Checks the parts. */
  public VersionState {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(status, "status");
  }

  VersionState withStatus(VersionStatus next) {
    return new VersionState(version, next, partialHistory, swapWhenCaughtUp, replayer);
  }
}

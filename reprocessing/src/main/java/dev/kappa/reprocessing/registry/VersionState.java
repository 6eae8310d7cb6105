package dev.kappa.reprocessing.registry;

import dev.kappa.reprocessing.JobVersion;
import java.util.Objects;

/**
 * What the registry knows about one version.
 *
 * @param version the version
 * @param status where it is in its life
 * @param partialHistory whether it was started on sources whose history was incomplete
 * @param swapWhenCaughtUp whether it becomes active by itself when it has caught up
 */
public record VersionState(
    JobVersion version, VersionStatus status, boolean partialHistory, boolean swapWhenCaughtUp) {

  /** Checks the parts. */
  public VersionState {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(status, "status");
  }

  VersionState withStatus(VersionStatus next) {
    return new VersionState(version, next, partialHistory, swapWhenCaughtUp);
  }
}

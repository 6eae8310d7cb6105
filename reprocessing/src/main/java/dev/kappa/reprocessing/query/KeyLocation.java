package dev.kappa.reprocessing.query;

import dev.kappa.reprocessing.JobVersion;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where a key of a serving table lives: the version asked, the partition of the key, and the
 * instance that holds that partition's active store (by its {@code application.server}).
 *
 * @param version the version whose store holds the key
 * @param partition the key's partition
 * @param activeHost the instance with the active store; empty if the instances do not advertise an
 *     {@code application.server}, in which case each instance answers from its own partitions
 * @param standbyHosts instances with a standby copy
 * @param local whether this instance holds the active store
 */
public record KeyLocation(
    JobVersion version,
    int partition,
    Optional<HostInfo> activeHost,
    Set<HostInfo> standbyHosts,
    boolean local) {

  /** Checks the parts. */
  public KeyLocation {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(activeHost, "activeHost");
    standbyHosts = Set.copyOf(standbyHosts);
  }
}

package dev.kappa.api;

import dev.kappa.topology.KappaJob;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The versions of one job that a service hosts: the code of each version by its number. The service
 * finds them as Micronaut beans and through {@link java.util.ServiceLoader} (a line with the class
 * name in {@code META-INF/services/dev.kappa.api.VersionedJob}), so a jar of jobs on the class path
 * is enough.
 *
 * <pre>{@code
 * public final class NetworkUsageVersions implements VersionedJob {
 *   public SortedMap<Integer, KappaJob> versions() {
 *     return VersionedJob.of(Map.of(1, NetworkUsageJob.job(), 2, NetworkUsageJob.v2())).versions();
 *   }
 * }
 * }</pre>
 */
public interface VersionedJob {

  /** The code of each version by number; all versions have the same job name. */
  SortedMap<Integer, KappaJob> versions();

  /** The job's name. */
  default String name() {
    return versions().values().iterator().next().name();
  }

  /**
   * The given versions.
   *
   * @throws IllegalArgumentException if there are none, a number is below 1, or the names differ
   */
  static VersionedJob of(Map<Integer, KappaJob> versions) {
    SortedMap<Integer, KappaJob> copy = new TreeMap<>(versions);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("A versioned job needs at least one version");
    }
    String name = copy.values().iterator().next().name();
    copy.forEach(
        (number, job) -> {
          Objects.requireNonNull(job, "job");
          if (number < 1) {
            throw new IllegalArgumentException(
                "Invalid version number " + number + " of job '" + name + "': numbers start at 1");
          }
          if (!job.name().equals(name)) {
            throw new IllegalArgumentException(
                "Versions of one job must share its name: v"
                    + number
                    + " is named '"
                    + job.name()
                    + "', not '"
                    + name
                    + "'");
          }
        });
    SortedMap<Integer, KappaJob> versionsOfJob = java.util.Collections.unmodifiableSortedMap(copy);
    return () -> versionsOfJob;
  }
}

package dev.kappa.examples.rollups;

import dev.kappa.api.VersionedJob;
import dev.kappa.topology.KappaJob;
import java.util.Map;
import java.util.SortedMap;

/**
 * The versions of the {@link RollupsJob} that the Kappa service hosts: v1 ({@link RollupsJob#v1()})
 * and v2 ({@link RollupsJob#v2()}), found through {@code
 * META-INF/services/dev.kappa.api.VersionedJob}:
 *
 * <pre>
 * KAPPA_BOOTSTRAP_SERVERS=localhost:9092 java -jar examples/target/kappa-service.jar
 * curl 'localhost:8080/jobs/time-rollups/tables/energy-by-month/keys/m-0042/windows?from=2026-01-01T00:00:00Z&amp;to=2026-12-31T00:00:00Z'
 * </pre>
 */
public final class RollupsVersions implements VersionedJob {

  private static final SortedMap<Integer, KappaJob> VERSIONS =
      VersionedJob.of(Map.of(1, RollupsJob.v1(), 2, RollupsJob.v2())).versions();

  /** For the service loader. */
  public RollupsVersions() {}

  @Override
  public SortedMap<Integer, KappaJob> versions() {
    return VERSIONS;
  }
}

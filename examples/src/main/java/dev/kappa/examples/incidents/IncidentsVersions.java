package dev.kappa.examples.incidents;

import dev.kappa.api.VersionedJob;
import dev.kappa.topology.KappaJob;
import java.util.Map;
import java.util.SortedMap;

/**
 * The versions of the {@link IncidentsJob} that the Kappa service hosts: v1 ({@link
 * IncidentsJob#v1()}) and v2 ({@link IncidentsJob#v2()}), found through {@code
 * META-INF/services/dev.kappa.api.VersionedJob}:
 *
 * <pre>
 * KAPPA_BOOTSTRAP_SERVERS=localhost:9092 java -jar examples/target/kappa-service.jar
 * curl 'localhost:8080/jobs/incidents/tables/incidents/keys?from=s-017@2026-11-22&amp;to=s-017@2026-11-23'
 * </pre>
 */
public final class IncidentsVersions implements VersionedJob {

  private static final SortedMap<Integer, KappaJob> VERSIONS =
      VersionedJob.of(Map.of(1, IncidentsJob.v1(), 2, IncidentsJob.v2())).versions();

  /** For the service loader. */
  public IncidentsVersions() {}

  @Override
  public SortedMap<Integer, KappaJob> versions() {
    return VERSIONS;
  }
}

package dev.kappa.examples.networkusage;

import dev.kappa.api.VersionedJob;
import dev.kappa.topology.KappaJob;
import java.util.Map;
import java.util.SortedMap;

/**
 * The versions of the {@link NetworkUsageJob} that the Kappa service hosts: v1 ({@link
 * NetworkUsageJob#job()}) and v2 ({@link NetworkUsageJob#v2()}). The service finds this class
 * through {@code META-INF/services/dev.kappa.api.VersionedJob}, so that the examples jar on its
 * class path is all it takes:
 *
 * <pre>
 * KAPPA_BOOTSTRAP_SERVERS=localhost:9092 java -jar examples/target/kappa-service.jar
 * curl localhost:8080/jobs/network-usage
 * </pre>
 */
public final class NetworkUsageVersions implements VersionedJob {

  private static final SortedMap<Integer, KappaJob> VERSIONS =
      VersionedJob.of(Map.of(1, NetworkUsageJob.job(), 2, NetworkUsageJob.v2())).versions();

  /** For the service loader. */
  public NetworkUsageVersions() {}

  @Override
  public SortedMap<Integer, KappaJob> versions() {
    return VERSIONS;
  }
}

package dev.kappa.examples.failedlogins;

import dev.kappa.api.VersionedJob;
import dev.kappa.topology.KappaJob;
import java.util.Map;
import java.util.SortedMap;

/**
 * The versions of the {@link FailedLoginsJob} that the Kappa service hosts: v1 ({@link
 * FailedLoginsJob#job()}, failures per IP) and v2 ({@link FailedLoginsJob#v2()}, distinct accounts
 * per IP). The service finds this class through {@code
 * META-INF/services/dev.kappa.api.VersionedJob}:
 *
 * <pre>
 * KAPPA_BOOTSTRAP_SERVERS=localhost:9092 java -jar examples/target/kappa-service.jar
 * curl localhost:8080/jobs/failed-logins/tables/ips-over-threshold/keys
 * </pre>
 */
public final class FailedLoginsVersions implements VersionedJob {

  private static final SortedMap<Integer, KappaJob> VERSIONS =
      VersionedJob.of(Map.of(1, FailedLoginsJob.job(), 2, FailedLoginsJob.v2())).versions();

  /** For the service loader. */
  public FailedLoginsVersions() {}

  @Override
  public SortedMap<Integer, KappaJob> versions() {
    return VERSIONS;
  }
}

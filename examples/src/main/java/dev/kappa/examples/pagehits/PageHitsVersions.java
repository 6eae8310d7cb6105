package dev.kappa.examples.pagehits;

import dev.kappa.api.VersionedJob;
import dev.kappa.topology.KappaJob;
import java.util.Map;
import java.util.SortedMap;

/**
 * The versions of the {@link PageHitsJob} that the Kappa service hosts: v1 ({@link
 * PageHitsJob#job()}) and v2 ({@link PageHitsJob#v2()}, without known bots). The service finds this
 * class through {@code META-INF/services/dev.kappa.api.VersionedJob}:
 *
 * <pre>
 * KAPPA_BOOTSTRAP_SERVERS=localhost:9092 java -jar examples/target/kappa-service.jar
 * curl localhost:8080/jobs/page-hits
 * </pre>
 */
public final class PageHitsVersions implements VersionedJob {

  private static final SortedMap<Integer, KappaJob> VERSIONS =
      VersionedJob.of(Map.of(1, PageHitsJob.job(), 2, PageHitsJob.v2())).versions();

  /** For the service loader. */
  public PageHitsVersions() {}

  @Override
  public SortedMap<Integer, KappaJob> versions() {
    return VERSIONS;
  }
}

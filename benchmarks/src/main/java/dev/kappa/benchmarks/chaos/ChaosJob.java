package dev.kappa.benchmarks.chaos;

import dev.kappa.api.VersionedJob;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.topology.KappaJob;
import java.util.HashMap;
import java.util.Map;

/**
 * The job the chaos harness runs: the network-usage job as {@value #NAME}, with {@value #VERSIONS}
 * versions so that it can replay and swap again and again. Odd versions are the job's v1 (every
 * valid reading counts), even ones its v2 (keep-alives do not).
 */
final class ChaosJob {

  static final String NAME = "chaos-usage";
  static final int VERSIONS = 12;

  private ChaosJob() {}

  static VersionedJob versions() {
    Map<Integer, KappaJob> versions = new HashMap<>();
    for (int version = 1; version <= VERSIONS; version++) {
      versions.put(
          version, version % 2 == 1 ? NetworkUsageJob.job(NAME) : NetworkUsageJob.v2(NAME));
    }
    return VersionedJob.of(versions);
  }

  /**
   * Whether {@code version} counts {@code reading}: the rule of each version, written here again so
   * that the check does not take it from the job it checks.
   */
  static boolean counts(int version, UsageEvent reading) {
    return version % 2 == 1 || reading.bytes() >= 1_024;
  }

  /** The topic of {@code version}'s alarms joined with readings. */
  static String alarmsTopic(int version) {
    return NAME + "-v" + version + "-" + NetworkUsageJob.ALARMS_WITH_USAGE.name();
  }
}

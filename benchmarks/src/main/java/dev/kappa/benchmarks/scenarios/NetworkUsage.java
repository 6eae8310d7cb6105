package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.Set;

/**
 * The network-usage example job as a whole, with its defaults (exactly-once): validation, one
 * repartition by node and two by agent and network, three windowed aggregations and a left join of
 * the alarms with the readings. It reads the readings and the alarms.
 */
public final class NetworkUsage extends AbstractScenario {

  /** The job with its own defaults. */
  public NetworkUsage() {
    super(
        "network-usage",
        "the network-usage example job, exactly-once",
        Set.of(Workload.READINGS, Workload.ALARMS),
        ProcessingGuarantee.EXACTLY_ONCE_V2);
  }

  @Override
  public ScenarioRun start(RunContext context) {
    return ScenarioRun.ofJob(id(), NetworkUsageJob.job(), guarantee(), context);
  }
}

package dev.kappa.benchmarks.flink;

import dev.kappa.benchmarks.Scenario;
import dev.kappa.benchmarks.ScenarioSource;
import dev.kappa.benchmarks.workload.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * The Flink peer's scenarios, found by {@code Scenarios.all()} through {@link
 * java.util.ServiceLoader}: the filter, the windowed aggregation, the join and the network-usage
 * job, each at parallelism 1 and 2. Jobs are named by class, so that listing them loads no Flink
 * class.
 */
public final class FlinkScenarios implements ScenarioSource {

  private static final String JOBS = FlinkScenarios.class.getPackageName() + ".";

  @Override
  public List<Scenario> scenarios() {
    List<Scenario> all = new ArrayList<>();
    for (int parallelism = 1; parallelism <= 2; parallelism++) {
      all.add(
          new FlinkPeer(
              "filter",
              "filter",
              parallelism,
              "kappa-filter-eos",
              JOBS + "FlinkFilter",
              Workload.READINGS));
      all.add(
          new FlinkPeer(
              "windowed-aggregation",
              "windowed aggregation, 1-min tumbling, RocksDB",
              parallelism,
              "windowed-aggregation-eos",
              JOBS + "FlinkWindowedAggregation",
              Workload.READINGS));
      all.add(
          new FlinkPeer(
              "stream-join",
              "stream-stream join, 10 s window",
              parallelism,
              "stream-join-eos",
              JOBS + "FlinkStreamJoin",
              Workload.EVEN_READINGS,
              Workload.ODD_READINGS));
      all.add(
          new FlinkPeer(
              "network-usage",
              "the network-usage example job",
              parallelism,
              "network-usage",
              JOBS + "FlinkNetworkUsage",
              Workload.READINGS,
              Workload.ALARMS));
    }
    return all;
  }
}

package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.Scenario;
import dev.kappa.benchmarks.ScenarioSource;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Every scenario of the benchmark, in the order of the report. */
public final class Scenarios {

  private Scenarios() {}

  /**
   * The raw copy first (the limit every ratio divides by), then the filters and the aggregation
   * (each also as written on plain Kafka Streams), the join under both guarantees, the aggregation
   * by a coarse key (in two phases and record by record), the network-usage job (and as it was
   * before two phases), the replay with the raw read it is held against, on one instance and two,
   * with alignment and without, and the replay of the network-usage job, with the job's settings
   * and with each catch-up setting alone. Then the filter, the aggregation (also on plain Kafka
   * Streams), the join and the network-usage job again on two stream threads, and last the
   * scenarios of every {@link ScenarioSource} on the class path (the Flink peer's).
   */
  public static List<Scenario> all() {
    List<Scenario> all = new ArrayList<>();
    all.add(new RawCopy());
    for (ProcessingGuarantee guarantee : ProcessingGuarantee.values()) {
      all.add(new PlainStreamsFilter(guarantee));
      all.add(new KappaFilter(guarantee));
    }
    for (ProcessingGuarantee guarantee : ProcessingGuarantee.values()) {
      all.add(new PlainStreamsWindowedAggregation(guarantee));
      all.add(new WindowedAggregation(guarantee));
    }
    all.add(new CoarseAggregation(false));
    all.add(new CoarseAggregation(true));
    for (ProcessingGuarantee guarantee : ProcessingGuarantee.values()) {
      all.add(new StreamJoin(guarantee));
    }
    all.add(new NetworkUsage());
    all.add(new NetworkUsage(true));
    all.add(RawCopy.readOnly());
    all.add(new Replay());
    all.add(new Replay(1, false));
    all.add(new Replay(2, true));
    all.add(new Replay(2, false));
    all.add(Replay.networkUsage());
    all.addAll(Replay.networkUsageCatchingUp());
    all.add(new KappaFilter(ProcessingGuarantee.EXACTLY_ONCE_V2, 2));
    all.add(new PlainStreamsWindowedAggregation(ProcessingGuarantee.EXACTLY_ONCE_V2, 2));
    all.add(new WindowedAggregation(ProcessingGuarantee.EXACTLY_ONCE_V2, 2));
    all.add(new StreamJoin(ProcessingGuarantee.EXACTLY_ONCE_V2, 2));
    all.add(new NetworkUsage(2));
    ServiceLoader.load(ScenarioSource.class).forEach(source -> all.addAll(source.scenarios()));
    return List.copyOf(all);
  }

  /**
   * The scenario with id {@code id}.
   *
   * @throws IllegalArgumentException if there is none, naming the ids there are
   */
  public static Scenario byId(String id) {
    return all().stream()
        .filter(scenario -> scenario.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "No scenario '"
                        + id
                        + "': the scenarios are "
                        + all().stream().map(Scenario::id).toList()));
  }
}

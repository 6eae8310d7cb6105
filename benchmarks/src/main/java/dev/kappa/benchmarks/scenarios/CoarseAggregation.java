package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.serde.Codec;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Sink;
import dev.kappa.topology.WindowedTable;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * Windowed aggregation by a coarse key: the readings of 100,000 customers (keyed by customer)
 * summed per node (1,000 nodes in the full workload) in the 1-minute windows of {@link
 * WindowedAggregation}, every update of the table to the sink {@link #UPDATES}, keyed {@code
 * <node>@<window start>}.
 *
 * <p>The job aggregates in two phases ({@code JobStreamsBuilder.aggregate} with a group key): each
 * task adds up its own readings per node and window, and only these partial sums cross the
 * repartition topic. The {@code -direct} variant groups the readings by node with Kafka Streams, so
 * every reading crosses the repartition topic and is added to the table on its own.
 */
public final class CoarseAggregation extends AbstractScenario {

  /** The windows as a serving table, keyed by node. */
  public static final ServingTable<String, Usage> USAGE_BY_NODE =
      ServingTable.windowed("usage-by-node", Codec.string(), Codec.json(Usage.class));

  /** The updates of the windows. */
  public static final Sink<String, Usage> UPDATES =
      Sink.of("usage-by-node-updates", Codec.string(), USAGE_BY_NODE.values());

  private final boolean direct;

  /** The aggregation in two phases, or with Kafka Streams' grouping if {@code direct}. */
  public CoarseAggregation(boolean direct) {
    super(
        "coarse-aggregation" + (direct ? "-direct" : ""),
        "windowed aggregation by node, "
            + (direct ? "every reading repartitioned (before two phases)" : "in two phases"),
        ProcessingGuarantee.EXACTLY_ONCE_V2,
        Workload.READINGS);
    this.direct = direct;
  }

  private static KappaJob job(String name, boolean direct) {
    return KappaJob.named(name)
        .source(WindowedAggregation.READINGS)
        .servingTable(USAGE_BY_NODE)
        .sink(UPDATES)
        .topology(
            builder -> {
              KStream<String, UsageEvent> readings = builder.stream(WindowedAggregation.READINGS);
              KStream<Windowed<String>, Usage> updates;
              if (direct) {
                updates =
                    builder
                        .aggregate(
                            readings.groupBy(
                                (customer, reading) -> reading.nodeId(),
                                Grouped.with(
                                    "readings-by-node",
                                    WindowedAggregation.READINGS.keys().serde(),
                                    WindowedAggregation.READINGS.values().serde())),
                            WindowedAggregation.MINUTES,
                            EmitStrategy.onWindowUpdate(),
                            USAGE_BY_NODE,
                            () -> Usage.NONE,
                            (node, reading, sum) -> sum.add(reading))
                        .toStream(Named.as("usage-updates"));
              } else {
                updates =
                    builder
                        .aggregate(
                            readings,
                            (customer, reading) -> reading.nodeId(),
                            WindowedAggregation.MINUTES,
                            USAGE_BY_NODE,
                            () -> Usage.NONE,
                            (node, reading, sum) -> sum.add(reading),
                            Usage::plus)
                        .updates();
              }
              builder.to(
                  updates.selectKey(
                      (window, sum) -> WindowedAggregation.windowKey(window),
                      Named.as("key-by-node-window")),
                  UPDATES);
            })
        .build();
  }

  @Override
  public ScenarioRun start(RunContext context) {
    ScenarioRun run =
        ScenarioRun.ofJob(id(), job("bench-coarse-aggregation", direct), guarantee(), context);
    return new ScenarioRun() {
      @Override
      public void checkAlive() {
        run.checkAlive();
      }

      /**
       * Lets the tasks send their last partials before the job closes, so that the output holds
       * every reading. The measured time ends before this, when the job has committed every
       * reading: it leaves out up to a send interval of merging partials.
       */
      @Override
      public void close() {
        try {
          Thread.sleep(WindowedTable.SEND_INTERVAL.multipliedBy(3).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        run.close();
      }
    };
  }
}

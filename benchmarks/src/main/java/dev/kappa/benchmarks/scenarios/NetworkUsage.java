package dev.kappa.benchmarks.scenarios;

import static dev.kappa.examples.networkusage.NetworkUsageJob.ALARMS_WITH_USAGE;
import static dev.kappa.examples.networkusage.NetworkUsageJob.MINUTES;
import static dev.kappa.examples.networkusage.NetworkUsageJob.NODE_ALARMS;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_BY_AGENT;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_BY_CUSTOMER;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_BY_NODE;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_EVENTS;
import static dev.kappa.examples.networkusage.NetworkUsageJob.USAGE_NETWORK;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.AlarmWithUsage;
import dev.kappa.examples.networkusage.NetworkUsageJob;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.Set;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.jspecify.annotations.Nullable;

/**
 * The network-usage example job as a whole, with its defaults (exactly-once): validation, one
 * repartition of the readings by node (for the node totals and the left join of the alarms with the
 * readings), agent totals in two phases, the network total and its hours, days and months rolled up
 * from them, and each customer's total. It reads the readings and the alarms.
 *
 * <p>The {@code -direct} variant is the job as it was before two-phase aggregation and rollups,
 * with the same tables and output but no rollups: the readings are repartitioned by node, by agent
 * and by network (a single key, so one task adds up every reading), and each table is aggregated
 * from the readings, record by record.
 */
public final class NetworkUsage extends AbstractScenario {

  private final boolean direct;

  /** The job with its own defaults. */
  public NetworkUsage() {
    this(false);
  }

  /** The job, or the job as it was before two-phase aggregation if {@code direct}. */
  public NetworkUsage(boolean direct) {
    this(direct, 1);
  }

  /** The job on {@code threads} stream threads. */
  public NetworkUsage(int threads) {
    this(false, threads);
  }

  private NetworkUsage(boolean direct, int threads) {
    super(
        "network-usage" + (direct ? "-direct" : ""),
        "the network-usage example job"
            + (direct ? " before two-phase aggregation and rollups" : "")
            + ", exactly-once",
        Set.of(Workload.READINGS, Workload.ALARMS),
        ProcessingGuarantee.EXACTLY_ONCE_V2,
        threads);
    this.direct = direct;
  }

  @Override
  public ScenarioRun start(RunContext context) {
    return ScenarioRun.ofJob(
        id(), direct ? direct() : NetworkUsageJob.job(), guarantee(), threads(), context);
  }

  /** The job before two-phase aggregation: every reading crosses three repartition topics. */
  static KappaJob direct() {
    return KappaJob.named(NetworkUsageJob.NAME)
        .source(USAGE_EVENTS)
        .source(NODE_ALARMS)
        .servingTable(USAGE_BY_NODE)
        .servingTable(USAGE_BY_AGENT)
        .servingTable(USAGE_NETWORK)
        .servingTable(USAGE_BY_CUSTOMER)
        .sink(ALARMS_WITH_USAGE)
        .topology(NetworkUsage::defineDirect)
        .build();
  }

  private static void defineDirect(JobStreamsBuilder builder) {
    Codec<String> ids = Codec.string();
    Codec<UsageEvent> events = USAGE_EVENTS.values();
    KStream<String, UsageEvent> readings =
        builder.validate(
            "valid-readings",
            builder.stream(USAGE_EVENTS),
            (customer, event) -> NetworkUsageJob.problem(customer, event));
    KStream<String, UsageEvent> readingsByNode =
        readings
            .selectKey((customer, event) -> event.nodeId(), Named.as("key-readings-by-node"))
            .repartition(
                Repartitioned.<String, UsageEvent>as("readings-by-node")
                    .withKeySerde(ids.serde())
                    .withValueSerde(events.serde()));
    aggregateDirect(builder, readingsByNode, "readings-grouped-by-node", null, USAGE_BY_NODE);
    aggregateDirect(
        builder,
        readings,
        "readings-by-agent",
        (customer, event) -> event.agentId(),
        USAGE_BY_AGENT);
    aggregateDirect(
        builder,
        readings,
        "readings-for-network",
        (customer, event) -> NetworkUsageJob.NETWORK,
        USAGE_NETWORK);
    builder.aggregate(
        readings.groupByKey(Grouped.with("readings-by-customer", ids.serde(), events.serde())),
        USAGE_BY_CUSTOMER,
        () -> Usage.NONE,
        (customer, event, usage) -> usage.add(event));
    KStream<String, AlarmWithUsage> alarmsWithUsage =
        builder.leftJoin(
            "alarms-with-usage",
            builder.validate(
                "valid-alarms",
                builder.stream(NODE_ALARMS),
                (node, alarm) -> NetworkUsageJob.problem(node, alarm)),
            readingsByNode,
            NetworkUsageJob.NEAR_ALARM,
            AlarmWithUsage::new,
            StreamJoined.with(ids.serde(), NODE_ALARMS.values().serde(), events.serde()));
    builder.to(alarmsWithUsage, ALARMS_WITH_USAGE);
  }

  /** Groups by {@code key} (by the stream's key if null) and sums record by record. */
  private static void aggregateDirect(
      JobStreamsBuilder builder,
      KStream<String, UsageEvent> readings,
      String grouping,
      @Nullable KeyValueMapper<String, UsageEvent, String> key,
      ServingTable<String, Usage> table) {
    Grouped<String, UsageEvent> grouped =
        Grouped.with(grouping, Codec.string().serde(), USAGE_EVENTS.values().serde());
    builder.aggregate(
        key == null ? readings.groupByKey(grouped) : readings.groupBy(key, grouped),
        MINUTES,
        EmitStrategy.onWindowUpdate(),
        table,
        () -> Usage.NONE,
        (group, event, usage) -> usage.add(event));
  }
}

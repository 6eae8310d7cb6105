package dev.kappa.examples.networkusage;

import dev.kappa.serde.Codec;
import dev.kappa.topology.JobStreamsBuilder;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import dev.kappa.topology.TimeGrid;
import dev.kappa.topology.TopologyDefinition;
import dev.kappa.topology.WindowedTable;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The network-usage job: a platform monitors the network usage of its customers' devices, and
 * readings roll up from customer to node to agent to the whole network.
 *
 * <ul>
 *   <li>Readings ({@link #USAGE_EVENTS}) with negative bytes, a missing node, agent, bytes or
 *       timestamp, or a key that is not their customer go to the dead-letter topic {@code
 *       network-usage-dead-letters}, as do records that are not JSON and those the source refuses
 *       (see {@link Source}).
 *   <li>Per node, per agent and for the whole network, the sum of bytes and the count of readings
 *       in tumbling 1-minute event-time windows with 30 s grace: the serving tables {@link
 *       #USAGE_BY_NODE}, {@link #USAGE_BY_AGENT} and {@link #USAGE_NETWORK} (key {@value
 *       #NETWORK}), kept queryable for 24 hours. Agent totals are aggregated in two phases and the
 *       network total is rolled up from them, so partial totals, not readings, cross the
 *       repartition topics.
 *   <li>The network total rolled up to hours, days and calendar months: {@link
 *       #USAGE_NETWORK_HOURS}, {@link #USAGE_NETWORK_DAYS}, {@link #USAGE_NETWORK_MONTHS}.
 *   <li>Each alarm of a node ({@link #NODE_ALARMS}) joined with the readings of that node within 10
 *       s of it, or with none: {@link #ALARMS_WITH_USAGE}.
 * </ul>
 *
 * <p>The job has two versions: {@link #job()} (v1) counts every valid reading; {@link #v2()} leaves
 * out the keep-alives of idle devices. Both have the same name, sources and serving tables, so a
 * query by table name reads whichever version is active.
 *
 * <p>Run it with the demo ({@link NetworkUsageDemo}), which replays the log into v2 beside v1 and
 * swaps to it; {@code NetworkUsageJobTest} shows the results of both versions for a hand-made
 * input.
 */
public final class NetworkUsageJob {

  /** The job's name, the same in every version. */
  public static final String NAME = "network-usage";

  /** The key of the single row per window of {@link #USAGE_NETWORK}. */
  public static final String NETWORK = "network";

  public static final Source<String, UsageEvent> USAGE_EVENTS =
      Source.of("usage-events", Codec.string(), Codec.json(UsageEvent.class))
          .withEventTime(UsageEvent::timestamp);
  public static final Source<String, NodeAlarm> NODE_ALARMS =
      Source.of("node-alarms", Codec.string(), Codec.json(NodeAlarm.class))
          .withEventTime(NodeAlarm::timestamp);

  public static final ServingTable<String, Usage> USAGE_BY_NODE = usageTable("usage-by-node");
  public static final ServingTable<String, Usage> USAGE_BY_AGENT = usageTable("usage-by-agent");
  public static final ServingTable<String, Usage> USAGE_NETWORK = usageTable("usage-network");

  /** {@link #USAGE_NETWORK} rolled up to hours, kept for 7 days. */
  public static final ServingTable<String, Usage> USAGE_NETWORK_HOURS =
      usageTable("usage-network-hours").withRetention(Duration.ofDays(7));

  /** {@link #USAGE_NETWORK} rolled up to days (UTC), kept for 90 days. */
  public static final ServingTable<String, Usage> USAGE_NETWORK_DAYS =
      usageTable("usage-network-days").withRetention(Duration.ofDays(90));

  /** {@link #USAGE_NETWORK} rolled up to calendar months (UTC), kept for about two years. */
  public static final ServingTable<String, Usage> USAGE_NETWORK_MONTHS =
      usageTable("usage-network-months").withRetention(Duration.ofDays(731));

  /** Each customer's usage since the start of the log, by customer id: a key-value table. */
  public static final ServingTable<String, Usage> USAGE_BY_CUSTOMER =
      ServingTable.keyValue("usage-by-customer", Codec.string(), Codec.json(Usage.class));

  public static final Sink<String, AlarmWithUsage> ALARMS_WITH_USAGE =
      Sink.of("alarms-with-usage", Codec.string(), Codec.json(AlarmWithUsage.class));

  /** Tumbling 1-minute windows; a reading up to 30 s late still counts. */
  public static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30));

  /** An alarm meets the readings of its node up to 10 s before or after it, 30 s late at most. */
  public static final JoinWindows NEAR_ALARM =
      JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(30));

  /** In v2, a reading of fewer bytes is a device's keep-alive, not usage. */
  public static final long KEEP_ALIVE_BYTES = 1_024;

  private NetworkUsageJob() {}

  /** The job's definition: version 1, which counts every valid reading. */
  public static KappaJob job() {
    return job(NAME);
  }

  /**
   * Version 1 under the name {@code name}, so that several deployments of it can share a cluster
   * (the benchmarks run one per run).
   */
  public static KappaJob job(String name) {
    return definition(name, NetworkUsageJob::define);
  }

  /**
   * Version 2 of the job: the same sources, serving tables and output, with one change of logic.
   * Readings under {@link #KEEP_ALIVE_BYTES} are the keep-alives that idle devices send, not usage,
   * so v2 leaves them out of every total and of the alarm join. About half of the generated
   * readings are keep-alives: the {@code readings} of each window drop by about half, while its
   * {@code bytes} drop by well under 1 %.
   *
   * <p>Run it beside v1 and swap to it when it has replayed the log, with {@code
   * dev.kappa.reprocessing.JobHost}:
   *
   * <pre>{@code
   * try (JobHost host = JobHost.builder(config)
   *         .version(1, NetworkUsageJob.job())
   *         .version(2, NetworkUsageJob.v2())
   *         .start()) {
   *     host.startVersion("network-usage", 2, StartOptions.defaults());
   *     // ... when host.history("network-usage").version(2) is CAUGHT_UP:
   *     host.swap("network-usage", 2);
   * }
   * }</pre>
   */
  public static KappaJob v2() {
    return v2(NAME);
  }

  /** Version 2 under the name {@code name}, as {@link #job(String)} is version 1. */
  public static KappaJob v2(String name) {
    return definition(name, NetworkUsageJob::defineV2);
  }

  private static KappaJob definition(String name, TopologyDefinition topology) {
    return KappaJob.named(name)
        .source(USAGE_EVENTS)
        .source(NODE_ALARMS)
        .servingTable(USAGE_BY_NODE)
        .servingTable(USAGE_BY_AGENT)
        .servingTable(USAGE_NETWORK)
        .servingTable(USAGE_NETWORK_HOURS)
        .servingTable(USAGE_NETWORK_DAYS)
        .servingTable(USAGE_NETWORK_MONTHS)
        .servingTable(USAGE_BY_CUSTOMER)
        .sink(ALARMS_WITH_USAGE)
        .topology(topology)
        .build();
  }

  static void define(JobStreamsBuilder builder) {
    define(builder, readings -> readings);
  }

  static void defineV2(JobStreamsBuilder builder) {
    // The one change of v2: keep-alives are not usage. Filtering before the repartition also
    // spares the repartition topic half of its records.
    define(
        builder,
        readings ->
            readings.filter(
                (customer, event) -> event.bytes() >= KEEP_ALIVE_BYTES,
                Named.as("usage-readings")));
  }

  private static void define(
      JobStreamsBuilder builder, UnaryOperator<KStream<String, UsageEvent>> countedReadings) {
    Codec<String> ids = Codec.string();
    Codec<UsageEvent> events = USAGE_EVENTS.values();

    // Bad readings leave here for the dead-letter topic, with the reason.
    KStream<String, UsageEvent> readings =
        countedReadings.apply(
            builder.validate(
                "valid-readings", builder.stream(USAGE_EVENTS), NetworkUsageJob::problem));

    // Readings arrive keyed by customer. The alarm join needs them keyed by node, and the node
    // totals
    // are aggregated from the same repartition, in the task that holds the node.
    KStream<String, UsageEvent> readingsByNode =
        readings
            .selectKey((customer, event) -> event.nodeId(), Named.as("key-readings-by-node"))
            .repartition(
                Repartitioned.<String, UsageEvent>as("readings-by-node")
                    .withKeySerde(ids.serde())
                    .withValueSerde(events.serde()));
    builder.aggregateByKey(
        readingsByNode,
        MINUTES,
        USAGE_BY_NODE,
        () -> Usage.NONE,
        (node, event, usage) -> usage.add(event),
        Usage::plus);

    // Agent totals in two phases: each task adds up its own readings per agent and minute, and only
    // those partial totals cross the repartition topic. The network total is rolled up from them,
    // so no single task sees every reading; hours, days and months are rolled up from minutes.
    // tag::two-phase[]
    WindowedTable<String, Usage> byAgent =
        builder.aggregate(
            readings,
            (customer, event) -> event.agentId(),
            MINUTES,
            USAGE_BY_AGENT,
            () -> Usage.NONE,
            (agent, event, usage) -> usage.add(event),
            Usage::plus);
    WindowedTable<String, Usage> network =
        builder.rollUp(byAgent, agent -> NETWORK, TimeGrid.of(MINUTES), USAGE_NETWORK);
    WindowedTable<String, Usage> hours =
        builder.rollUp(network, TimeGrid.of(Duration.ofHours(1)), USAGE_NETWORK_HOURS);
    WindowedTable<String, Usage> days =
        builder.rollUp(hours, TimeGrid.of(Duration.ofDays(1)), USAGE_NETWORK_DAYS);
    builder.rollUp(days, TimeGrid.months(), USAGE_NETWORK_MONTHS);
    // end::two-phase[]

    // Readings are keyed by customer already: the customer totals need no repartition.
    builder.aggregate(
        readings.groupByKey(Grouped.with("readings-by-customer", ids.serde(), events.serde())),
        USAGE_BY_CUSTOMER,
        () -> Usage.NONE,
        (customer, event, usage) -> usage.add(event));

    KStream<String, NodeAlarm> alarms =
        builder.validate(
            "valid-alarms", builder.stream(NODE_ALARMS), (node, alarm) -> problem(node, alarm));
    // Left join: an alarm without readings nearby is still reported, once its window has closed.
    KStream<String, AlarmWithUsage> alarmsWithUsage =
        builder.leftJoin(
            "alarms-with-usage",
            alarms,
            readingsByNode,
            NEAR_ALARM,
            AlarmWithUsage::new,
            StreamJoined.with(ids.serde(), NODE_ALARMS.values().serde(), events.serde()));
    builder.to(alarmsWithUsage, ALARMS_WITH_USAGE);
  }

  /**
   * Why a reading is invalid, or empty if it is valid: besides {@link #problem(UsageEvent)}, its
   * key must be its {@code customerId}, which keys the customer totals.
   */
  public static Optional<String> problem(String key, UsageEvent event) {
    if (key == null) {
      return Optional.of("the key is missing: a reading is keyed by its customerId");
    }
    Optional<String> problem = problem(event);
    if (problem.isPresent() || key.equals(event.customerId())) {
      return problem;
    }
    return Optional.of(
        "the key '" + key + "' is not the reading's customerId '" + event.customerId() + "'");
  }

  /** Why a reading is invalid, or empty if it is valid. */
  public static Optional<String> problem(UsageEvent event) {
    if (isBlank(event.customerId())) {
      return Optional.of("customerId is missing");
    }
    if (isBlank(event.nodeId())) {
      return Optional.of("nodeId is missing");
    }
    if (isBlank(event.agentId())) {
      return Optional.of("agentId is missing");
    }
    if (event.bytes() == null) {
      return Optional.of("bytes is missing");
    }
    if (event.bytes() < 0) {
      return Optional.of("bytes must not be negative, was " + event.bytes());
    }
    if (event.timestamp() == null) {
      return Optional.of("timestamp is missing");
    }
    return Optional.empty();
  }

  /** Why an alarm is invalid, or empty if it is valid. */
  public static Optional<String> problem(String key, NodeAlarm alarm) {
    if (isBlank(alarm.nodeId()) || isBlank(alarm.kind()) || alarm.timestamp() == null) {
      return Optional.of("nodeId, kind and timestamp are required, got " + alarm);
    }
    if (!alarm.nodeId().equals(key)) {
      return Optional.of(
          "the key '" + key + "' is not the alarm's nodeId '" + alarm.nodeId() + "'");
    }
    return Optional.empty();
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static ServingTable<String, Usage> usageTable(String name) {
    return ServingTable.windowed(name, Codec.string(), Codec.json(Usage.class))
        .withRetention(Duration.ofHours(24));
  }
}

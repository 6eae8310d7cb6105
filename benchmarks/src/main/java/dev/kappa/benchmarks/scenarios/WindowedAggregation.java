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
import dev.kappa.topology.Source;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * Windowed aggregation on RocksDB: the sum of bytes and count of readings per customer (100,000
 * keys in the full workload) in tumbling 1-minute windows with 30 s grace, as a Kafka job with a
 * windowed serving table; every update of the table goes to the sink {@link #UPDATES}, keyed {@code
 * <customer>@<window start>}. The readings arrive keyed by customer, so nothing is repartitioned.
 *
 * <p>The job aggregates with {@code JobStreamsBuilder.aggregateByKey}: each commit interval's
 * records of a window are added up first and reach the table as one update. The {@code -direct}
 * variant aggregates with Kafka Streams' window aggregation instead, record by record, as the job
 * did before two-phase aggregation.
 */
public final class WindowedAggregation extends AbstractScenario {

  static final Source<String, UsageEvent> READINGS =
      Source.of(Workload.READINGS, Codec.string(), Codec.json(UsageEvent.class));

  /** The windows. */
  public static final TimeWindows MINUTES =
      TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofSeconds(30));

  /** The windows as a serving table, keyed by customer. */
  public static final ServingTable<String, Usage> USAGE_BY_CUSTOMER =
      ServingTable.windowed("usage-by-customer", Codec.string(), Codec.json(Usage.class));

  /** The updates of the windows. */
  public static final Sink<String, Usage> UPDATES =
      Sink.of("usage-by-customer-updates", Codec.string(), USAGE_BY_CUSTOMER.values());

  /** The aggregation as a job called {@code name}: every reading counts. */
  public static KappaJob job(String name) {
    return job(name, (customer, reading, sum) -> sum.add(reading));
  }

  /** The aggregation with Kafka Streams' window aggregation, as a job called {@code name}. */
  static KappaJob direct(String name) {
    return KappaJob.named(name)
        .source(READINGS)
        .servingTable(USAGE_BY_CUSTOMER)
        .sink(UPDATES)
        .topology(
            builder -> {
              // keyed by customer already: grouping by key needs no repartition
              var usage =
                  builder.aggregate(
                      builder.stream(READINGS)
                          .groupByKey(
                              Grouped.with(
                                  "readings-by-customer",
                                  READINGS.keys().serde(),
                                  READINGS.values().serde())),
                      MINUTES,
                      EmitStrategy.onWindowUpdate(),
                      USAGE_BY_CUSTOMER,
                      () -> Usage.NONE,
                      (customer, reading, sum) -> sum.add(reading));
              builder.to(byWindow(usage.toStream(Named.as("usage-updates"))), UPDATES);
            })
        .build();
  }

  /**
   * A changed aggregation called {@code name}, a second version for the swap scenario: only
   * readings of at least {@link LargeReadings#MIN_BYTES} bytes count, so that its sums and counts
   * differ from those of {@link #job(String)} and an answer shows which version gave it.
   */
  public static KappaJob largeReadingsOnly(String name) {
    return job(
        name,
        (customer, reading, sum) -> LargeReadings.keep(customer, reading) ? sum.add(reading) : sum);
  }

  private static KappaJob job(String name, Aggregator<String, UsageEvent, Usage> aggregator) {
    return KappaJob.named(name)
        .source(READINGS)
        .servingTable(USAGE_BY_CUSTOMER)
        .sink(UPDATES)
        .topology(
            builder -> {
              // keyed by customer already: no repartition
              var usage =
                  builder.aggregateByKey(
                      builder.stream(READINGS),
                      MINUTES,
                      USAGE_BY_CUSTOMER,
                      () -> Usage.NONE,
                      aggregator,
                      Usage::plus);
              builder.to(byWindow(usage.updates()), UPDATES);
            })
        .build();
  }

  private static KStream<String, Usage> byWindow(KStream<Windowed<String>, Usage> updates) {
    return updates.selectKey(
        (window, sum) -> windowKey(window), Named.as("key-by-customer-window"));
  }

  private final boolean direct;

  /** The aggregation under {@code guarantee}. */
  public WindowedAggregation(ProcessingGuarantee guarantee) {
    this(guarantee, false);
  }

  /**
   * The aggregation under {@code guarantee}, with Kafka Streams' window aggregation if {@code
   * direct}.
   */
  public WindowedAggregation(ProcessingGuarantee guarantee, boolean direct) {
    super(
        "windowed-aggregation" + (direct ? "-direct" : ""),
        "windowed aggregation, 1-min tumbling, RocksDB"
            + (direct ? ", record by record (before two phases)" : ""),
        guarantee,
        Workload.READINGS);
    this.direct = direct;
  }

  /** The key of a window's updates: {@code <customer>@<window start>}. */
  public static String windowKey(Windowed<String> window) {
    return window.key() + "@" + Instant.ofEpochMilli(window.window().start());
  }

  @Override
  public ScenarioRun start(RunContext context) {
    String name = "bench-windowed-aggregation";
    return ScenarioRun.ofJob(id(), direct ? direct(name) : job(name), guarantee(), context);
  }
}

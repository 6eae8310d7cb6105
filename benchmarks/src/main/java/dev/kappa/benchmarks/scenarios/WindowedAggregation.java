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
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * Windowed aggregation on RocksDB: the sum of bytes and count of readings per customer (100,000
 * keys in the full workload) in tumbling 1-minute windows with 30 s grace, as a Kafka job with a
 * windowed serving table; every update the record cache lets through goes to the sink {@link
 * #UPDATES}, keyed {@code <customer>@<window start>}. The readings arrive keyed by customer, so
 * nothing is repartitioned.
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

  static final KappaJob JOB = job("bench-windowed-aggregation");

  /** The aggregation as a job called {@code name}: every reading counts. */
  public static KappaJob job(String name) {
    return job(name, (customer, reading, sum) -> sum.add(reading));
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
                      aggregator);
              builder.to(
                  usage
                      .toStream(Named.as("usage-updates"))
                      .selectKey(
                          (window, sum) -> windowKey(window), Named.as("key-by-customer-window")),
                  UPDATES);
            })
        .build();
  }

  /** The aggregation under {@code guarantee}. */
  public WindowedAggregation(ProcessingGuarantee guarantee) {
    this(guarantee, 1);
  }

  /** The aggregation under {@code guarantee} on {@code threads} stream threads. */
  public WindowedAggregation(ProcessingGuarantee guarantee, int threads) {
    super(
        "windowed-aggregation",
        "windowed aggregation, 1-min tumbling, RocksDB",
        guarantee,
        threads,
        Workload.READINGS);
  }

  /** The key of a window's updates: {@code <customer>@<window start>}. */
  public static String windowKey(Windowed<String> window) {
    return window.key() + "@" + Instant.ofEpochMilli(window.window().start());
  }

  @Override
  public ScenarioRun start(RunContext context) {
    return ScenarioRun.ofJob(id(), JOB, guarantee(), threads(), context);
  }
}

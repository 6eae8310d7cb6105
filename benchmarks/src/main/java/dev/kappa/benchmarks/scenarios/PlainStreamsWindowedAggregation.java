package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.Usage;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The peer of {@link WindowedAggregation}: the same sums and counts per customer in the same
 * windows, written by hand on the Kafka Streams DSL with the same JSON serde and Kafka Streams' own
 * stores and defaults, every update the record cache lets through to {@value #OUTPUT}. It shows
 * what Kafka Streams itself costs for this aggregation, without anything of Kappa.
 */
public final class PlainStreamsWindowedAggregation extends AbstractScenario {

  /** The name of the output. */
  public static final String OUTPUT = "plain-usage-by-customer-updates";

  /** The aggregation under {@code guarantee}. */
  public PlainStreamsWindowedAggregation(ProcessingGuarantee guarantee) {
    this(guarantee, 1);
  }

  /** The aggregation under {@code guarantee} on {@code threads} stream threads. */
  public PlainStreamsWindowedAggregation(ProcessingGuarantee guarantee, int threads) {
    super(
        "plain-streams-windowed-aggregation",
        "plain Kafka Streams windowed aggregation",
        guarantee,
        threads,
        Workload.READINGS);
  }

  @Override
  public ScenarioRun start(RunContext context) {
    String output = context.outputTopic(OUTPUT);
    context.createTopics(List.of(output));
    Serde<UsageEvent> readings = JsonSerde.of(UsageEvent.class);
    Serde<Usage> usage = JsonSerde.of(Usage.class);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(Workload.READINGS, Consumed.with(Serdes.String(), readings))
        .groupByKey(Grouped.with(Serdes.String(), readings))
        .windowedBy(WindowedAggregation.MINUTES)
        .aggregate(
            () -> Usage.NONE,
            (customer, reading, sum) -> sum.add(reading),
            Materialized.with(Serdes.String(), usage))
        .toStream()
        .selectKey((window, sum) -> WindowedAggregation.windowKey(window))
        .to(output, Produced.with(Serdes.String(), usage));
    Properties properties = new Properties();
    properties.putAll(context.streamsConfig(guarantee()));
    properties.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads());
    KafkaStreams streams = new KafkaStreams(builder.build(), properties);
    streams.start();
    return ScenarioRun.of(id(), streams, ScenarioRun.closing(streams));
  }
}

package dev.kappa.benchmarks.scenarios;

import dev.kappa.benchmarks.RunContext;
import dev.kappa.benchmarks.ScenarioRun;
import dev.kappa.benchmarks.workload.Workload;
import dev.kappa.examples.networkusage.UsageEvent;
import dev.kappa.serde.JsonSerde;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The peer: the filter of {@link KappaFilter} written by hand on the Kafka Streams DSL, as a user
 * would without Kappa, with the same JSON serde (a Jackson serde is what such a user writes too)
 * and Kafka Streams' defaults. Its output is {@value #OUTPUT}.
 */
public final class PlainStreamsFilter extends AbstractScenario {

  /** The name of the output. */
  public static final String OUTPUT = "kept-readings";

  /** The filter under {@code guarantee}. */
  public PlainStreamsFilter(ProcessingGuarantee guarantee) {
    super("plain-streams-filter", "plain Kafka Streams filter", guarantee, Workload.READINGS);
  }

  @Override
  public ScenarioRun start(RunContext context) {
    String output = context.outputTopic(OUTPUT);
    context.createTopics(List.of(output));
    Serde<UsageEvent> readings = JsonSerde.of(UsageEvent.class);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(Workload.READINGS, Consumed.with(Serdes.String(), readings))
        .filter(LargeReadings::keep)
        .to(output, Produced.with(Serdes.String(), readings));
    Properties properties = new Properties();
    properties.putAll(context.streamsConfig(guarantee()));
    KafkaStreams streams = new KafkaStreams(builder.build(), properties);
    streams.start();
    return ScenarioRun.of(id(), streams, ScenarioRun.closing(streams));
  }
}

package dev.kappa.topology.internal;

import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;

/** Creates the StreamsBuilder of a job, with Kafka's own check for unnamed internal resources. */
public final class TopologyFactory {

  // StreamsConfig requires a bootstrap address; building a topology never connects to it.
  private static final String NO_BROKER = "topology-only:9092";

  private TopologyFactory() {}

  /**
   * A builder whose {@code build()} fails if a store, changelog or repartition topic has a
   * generated name ({@code ensure.explicit.internal.resource.naming}).
   */
  public static StreamsBuilder streamsBuilder(String applicationId) {
    Map<String, Object> settings =
        Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, NO_BROKER,
            StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    StreamsConfig config = new StreamsConfig(settings);
    return new StreamsBuilder(new TopologyConfig(config));
  }
}

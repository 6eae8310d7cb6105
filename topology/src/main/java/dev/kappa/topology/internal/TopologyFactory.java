package dev.kappa.topology.internal;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.processor.internals.ProcessorStateManager;
import org.apache.kafka.streams.processor.internals.StoreFactory;

/** Creates the StreamsBuilder of a job, with Kafka's own check for unnamed internal resources. */
public final class TopologyFactory {

  // StreamsConfig requires a bootstrap address; building a topology never connects to it.
  private static final String NO_BROKER = "topology-only:9092";

  private TopologyFactory() {}

  /**
   * A builder whose {@code build()} fails if a store, changelog or repartition topic has a
   * generated name ({@code ensure.explicit.internal.resource.naming}).
   */
  public static JobStreams streamsBuilder(String applicationId) {
    Map<String, Object> settings =
        Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, applicationId,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, NO_BROKER,
            StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    StreamsConfig config = new StreamsConfig(settings);
    return new JobStreams(applicationId, new TopologyConfig(config));
  }

  /** A job's StreamsBuilder, which also tells what Kafka Streams will make of its stores. */
  public static final class JobStreams extends StreamsBuilder {

    private final String applicationId;

    private JobStreams(String applicationId, TopologyConfig config) {
      super(config);
      this.applicationId = applicationId;
    }

    /**
     * The changelog topic of each logged window or session store of the built topology, with the
     * store's retention: Kafka Streams creates it with {@code retention.ms} set to that retention
     * plus {@code windowstore.changelog.additional.retention.ms}, unless the store's own log config
     * sets {@code retention.ms} (such stores are left out). Call after {@code build()}.
     */
    public Map<String, Duration> windowedChangelogs() {
      Map<String, Duration> changelogs = new TreeMap<>();
      for (StoreFactory store : internalTopologyBuilder.stateStores().values()) {
        if (store.isWindowStore()
            && store.loggingEnabled()
            && !store.logConfig().containsKey(TopicConfig.RETENTION_MS_CONFIG)) {
          changelogs.put(
              ProcessorStateManager.storeChangelogTopic(applicationId, store.storeName(), null),
              Duration.ofMillis(store.retentionPeriod()));
        }
      }
      return changelogs;
    }
  }
}

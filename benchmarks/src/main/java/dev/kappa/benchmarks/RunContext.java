package dev.kappa.benchmarks;

import dev.kappa.benchmarks.internal.Topics;
import dev.kappa.topology.JobNaming;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What one measured run of a scenario is given: the cluster, the consumer group (also the
 * application id and the prefix of every topic the run creates), the commit interval shared by all
 * scenarios, a state directory, and the consumer settings through which the harness sees the first
 * record read. Immutable.
 */
public final class RunContext {

  private final String bootstrapServers;
  private final String group;
  private final int partitions;
  private final Duration commitInterval;
  private final Path stateDirectory;
  private final Map<String, Object> consumerSettings;

  /**
   * A context for the run called {@code group}.
   *
   * @param partitions the partitions of each output topic a scenario creates itself (those of the
   *     inputs)
   * @param consumerSettings settings for the consumer that reads the inputs, applied last
   */
  public RunContext(
      String bootstrapServers,
      String group,
      int partitions,
      Duration commitInterval,
      Path stateDirectory,
      Map<String, Object> consumerSettings) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.group = Objects.requireNonNull(group, "group");
    this.partitions = partitions;
    this.commitInterval = Objects.requireNonNull(commitInterval, "commitInterval");
    this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
    this.consumerSettings = Map.copyOf(consumerSettings);
  }

  /** The {@code bootstrap.servers} of the cluster. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The consumer group the run reads with and commits to: the application id of a Kafka Streams
   * scenario. Every topic the run creates starts with it.
   */
  public String group() {
    return group;
  }

  /** The run's own directory for state, deleted after the run. */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** How often every scenario commits; the same for all, so that their ends compare. */
  public Duration commitInterval() {
    return commitInterval;
  }

  /** The names of a Kappa job's deployment in this run: application id {@link #group()}. */
  public JobNaming naming() {
    return new JobNaming() {
      @Override
      public String applicationId() {
        return group;
      }

      @Override
      public String outputTopic(String sinkName) {
        return group + "-" + sinkName;
      }

      @Override
      public String deadLetterTopic() {
        return outputTopic("dead-letters");
      }
    };
  }

  /** The topic of this run for the output called {@code name}. */
  public String outputTopic(String name) {
    return naming().outputTopic(name);
  }

  /**
   * A Kappa job configuration for this run: its defaults, with the guarantee, the commit interval,
   * the state directory and the harness's consumer settings.
   */
  public JobConfig jobConfig(ProcessingGuarantee guarantee) {
    return jobConfig(guarantee, stateDirectory, 1);
  }

  /** Like {@link #jobConfig(ProcessingGuarantee)}, with {@code threads} stream threads. */
  public JobConfig jobConfig(ProcessingGuarantee guarantee, int threads) {
    return jobConfig(guarantee, stateDirectory, threads);
  }

  /**
   * Like {@link #jobConfig(ProcessingGuarantee)}, for one of several instances in this run's JVM,
   * with a state directory of its own under the run's.
   */
  public JobConfig jobConfig(ProcessingGuarantee guarantee, String instance) {
    return jobConfig(guarantee, stateDirectory.resolve(instance), 1);
  }

  private JobConfig jobConfig(ProcessingGuarantee guarantee, Path state, int threads) {
    JobConfig.Builder builder =
        JobConfig.builder(bootstrapServers)
            .guarantee(guarantee)
            .threads(threads)
            .commitInterval(commitInterval)
            .stateDirectory(state);
    consumerSettings.forEach(
        (key, value) -> builder.set(StreamsConfig.mainConsumerPrefix(key), value));
    return builder.build();
  }

  /**
   * A plain Kafka Streams configuration for this run, as a user would write it: application id,
   * cluster, guarantee, commit interval and state directory, with the harness's consumer settings.
   */
  public Map<String, Object> streamsConfig(ProcessingGuarantee guarantee) {
    Map<String, Object> config = new HashMap<>();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, group);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.config());
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
    consumerSettings.forEach(
        (key, value) -> config.put(StreamsConfig.mainConsumerPrefix(key), value));
    return config;
  }

  /**
   * A consumer of the inputs for this run's group: from the earliest offset, committing by hand,
   * polling up to 1,000 records as Kafka Streams does.
   */
  public Map<String, Object> consumerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
    config.putAll(consumerSettings);
    return config;
  }

  /**
   * A producer for this run's outputs, batched well for loopback: the fastest writer this machine
   * has (see FACTS.md), so that the raw copy is the limit.
   */
  public Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    return config;
  }

  /** Creates the run's output topics {@code names}, with as many partitions as the inputs. */
  public void createTopics(Collection<String> names) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Topics.create(admin, names, partitions, Map.of());
    }
  }
}

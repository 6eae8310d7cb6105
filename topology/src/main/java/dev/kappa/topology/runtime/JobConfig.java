package dev.kappa.topology.runtime;

import dev.kappa.stores.BoundedMemoryRocksDbConfig;
import dev.kappa.stores.RocksDbMemoryBudget;
import dev.kappa.topology.JobTopology;
import dev.kappa.topology.deadletter.DeadLetterDeserializationHandler;
import dev.kappa.topology.deadletter.DeadLetterMetrics;
import dev.kappa.topology.deadletter.DeadLetterProcessingHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a job runs: the cluster, where its state lives, its processing guarantee, its threads and
 * memory, and any other Kafka Streams settings. {@link #streamsConfig(JobTopology)} turns it into
 * the configuration of one Kafka Streams instance of a job.
 *
 * <pre>{@code
 * JobConfig config = JobConfig.builder("localhost:9092")
 *     .stateDirectory(Path.of("/var/lib/kappa"))
 *     .threads(2)
 *     .build();
 * }</pre>
 *
 * <p>Defaults: exactly-once ({@code exactly_once_v2}), one stream thread, Kafka Streams' commit
 * interval, the process-wide RocksDB memory budget, and state under a new directory of this process
 * ({@code <java.io.tmpdir>/kappa-state-<random>}, created when the first configuration without a
 * state directory is built, shared by every such configuration of the process, and logged): no
 * other process or run shares it, and none finds it again, so every version restores its stores
 * from their changelogs after a restart. Set {@link Builder#stateDirectory(Path)} for state that
 * survives a restart, and give each instance of a job in one process its own. Immutable.
 */
public final class JobConfig {

  private static final Logger log = LoggerFactory.getLogger(JobConfig.class);

  private final String bootstrapServers;
  private final Path stateDirectory;
  private final ProcessingGuarantee guarantee;
  private final int threads;
  private final @Nullable Duration commitInterval;
  private final RocksDbMemoryBudget memoryBudget;
  private final Map<String, Object> overrides;

  private JobConfig(Builder builder) {
    this.bootstrapServers = builder.bootstrapServers;
    this.stateDirectory =
        builder.stateDirectory != null ? builder.stateDirectory : ProcessStateDirectory.PATH;
    this.guarantee = builder.guarantee;
    this.threads = builder.threads;
    this.commitInterval = builder.commitInterval;
    this.memoryBudget = builder.memoryBudget;
    this.overrides = Map.copyOf(builder.overrides);
  }

  /** Starts a configuration for the cluster at {@code bootstrapServers}. */
  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** The {@code bootstrap.servers} of the cluster. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The directory under which each application id keeps its state: the one set, or the new
   * directory of this process.
   */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /** The processing guarantee. */
  public ProcessingGuarantee guarantee() {
    return guarantee;
  }

  /** The number of stream threads of each instance. */
  public int threads() {
    return threads;
  }

  /** The commit interval, or null for Kafka Streams' default (100 ms under exactly-once). */
  public @Nullable Duration commitInterval() {
    return commitInterval;
  }

  /** The RocksDB memory budget shared by the stores. */
  public RocksDbMemoryBudget memoryBudget() {
    return memoryBudget;
  }

  /** Kafka Streams settings applied last, over everything else. */
  public Map<String, Object> overrides() {
    return overrides;
  }

  /** A copy of this configuration with one more Kafka Streams setting. */
  public JobConfig with(String key, Object value) {
    return toBuilder().set(key, value).build();
  }

  /**
   * The configuration of one Kafka Streams instance of {@code topology}: its application id, the
   * cluster, state directory, guarantee and threads, the names-enforcement setting, the dead-letter
   * topic with the handlers that route to it and a fresh {@link DeadLetterMetrics}, and the RocksDB
   * memory budget; then the overrides.
   */
  @SuppressWarnings("deprecation") // the global-handler switch goes away when 5.0 makes it default
  public Map<String, Object> streamsConfig(JobTopology topology) {
    Map<String, Object> config = new HashMap<>();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, topology.applicationId());
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDirectory.toString());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.config());
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    if (commitInterval != null) {
      config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    }
    config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    config.put(
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topology.deadLetterTopic());
    config.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class);
    config.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    config.put(DeadLetterMetrics.CONFIG, new DeadLetterMetrics());
    config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
    config.put(RocksDbMemoryBudget.CONFIG, memoryBudget);
    config.putAll(overrides);
    return config;
  }

  private Builder toBuilder() {
    Builder builder = new Builder(bootstrapServers);
    builder.stateDirectory = stateDirectory;
    builder.guarantee = guarantee;
    builder.threads = threads;
    builder.commitInterval = commitInterval;
    builder.memoryBudget = memoryBudget;
    builder.overrides.putAll(overrides);
    return builder;
  }

  @Override
  public String toString() {
    return "JobConfig[bootstrap="
        + bootstrapServers
        + ", state="
        + stateDirectory
        + ", "
        + guarantee
        + ", threads="
        + threads
        + "]";
  }

  /** Builds a {@link JobConfig}; every setting but the cluster has a default. */
  public static final class Builder {
    private final String bootstrapServers;
    private @Nullable Path stateDirectory;
    private ProcessingGuarantee guarantee = ProcessingGuarantee.EXACTLY_ONCE_V2;
    private int threads = 1;
    private @Nullable Duration commitInterval;
    private RocksDbMemoryBudget memoryBudget = RocksDbMemoryBudget.processDefault();
    private final Map<String, Object> overrides = new LinkedHashMap<>();

    private Builder(String bootstrapServers) {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      if (bootstrapServers.isBlank()) {
        throw new IllegalArgumentException(
            "bootstrapServers must name at least one broker, was blank");
      }
      this.bootstrapServers = bootstrapServers;
    }

    /**
     * The directory under which each application id keeps its state; a new directory of this
     * process unless set.
     */
    public Builder stateDirectory(Path stateDirectory) {
      this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
      return this;
    }

    /** The processing guarantee; exactly-once by default. */
    public Builder guarantee(ProcessingGuarantee guarantee) {
      this.guarantee = Objects.requireNonNull(guarantee, "guarantee");
      return this;
    }

    /** The number of stream threads of each instance; 1 by default. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** How often offsets, state and outputs are committed. */
    public Builder commitInterval(Duration commitInterval) {
      Objects.requireNonNull(commitInterval, "commitInterval");
      if (commitInterval.isNegative() || commitInterval.isZero()) {
        throw new IllegalArgumentException(
            "commitInterval must be positive, was " + commitInterval);
      }
      this.commitInterval = commitInterval;
      return this;
    }

    /** The RocksDB memory budget; the process-wide default (256 MiB) unless set. */
    public Builder memoryBudget(RocksDbMemoryBudget memoryBudget) {
      this.memoryBudget = Objects.requireNonNull(memoryBudget, "memoryBudget");
      return this;
    }

    /** Any Kafka Streams, consumer, producer or admin setting, applied over everything else. */
    public Builder set(String key, Object value) {
      overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The configuration.
     *
     * @throws java.io.UncheckedIOException if no state directory is set and the process's own
     *     cannot be created under {@code java.io.tmpdir}
     */
    public JobConfig build() {
      return new JobConfig(this);
    }
  }

  /**
   * The state directory of the configurations of this process that set none, created once, when the
   * first of them is built (the holder class is initialized then), so that processes and runs on
   * one machine never share state, nor lock each other out of it.
   */
  private static final class ProcessStateDirectory {
    static final Path PATH = create();

    private static Path create() {
      try {
        Path directory = Files.createTempDirectory("kappa-state-");
        log.info(
            "Kafka Streams state of this process goes under {}, a new directory that no other"
                + " process or run uses: versions restore their stores from their changelogs"
                + " after a restart. Set JobConfig.Builder#stateDirectory(..) for state that"
                + " survives restarts.",
            directory);
        return directory;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot create a state directory under java.io.tmpdir ("
                + System.getProperty("java.io.tmpdir")
                + "): "
                + e.getMessage()
                + ". Set JobConfig.Builder#stateDirectory(..) to a writable directory.",
            e);
      }
    }
  }
}

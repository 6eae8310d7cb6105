package dev.kappa.topology.testing;

import dev.kappa.topology.JobTopology;
import dev.kappa.topology.KappaJob;
import dev.kappa.topology.ServingTable;
import dev.kappa.topology.Sink;
import dev.kappa.topology.Source;
import dev.kappa.topology.deadletter.DeadLetter;
import dev.kappa.topology.deadletter.DeadLetterMetrics;
import dev.kappa.topology.internal.StreamsMetricSums;
import dev.kappa.topology.runtime.JobConfig;
import dev.kappa.topology.runtime.ProcessingGuarantee;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;

/**
 * A {@link TopologyTestDriver} for a job, configured as the job runs (dead-letter routing, bounded
 * RocksDB memory, the names check), with typed access to its sources, sinks, serving tables and
 * dead letters. It processes at-least-once, which the driver simulates exactly like exactly-once
 * except for commits.
 *
 * <pre>{@code
 * try (JobTestDriver driver = JobTestDriver.of(NetworkUsageJob.job(), START)) {
 *     driver.input(USAGE_EVENTS).pipeInput("c-1", event, START);
 *     WindowStore<String, ValueAndTimestamp<Usage>> byNode = driver.windowStore(USAGE_BY_NODE);
 *     assertThat(driver.deadLetters()).isEmpty();
 * }
 * }</pre>
 *
 * <p>Requires {@code org.apache.kafka:kafka-streams-test-utils} on the test classpath. Not
 * thread-safe, like the driver it wraps.
 */
public final class JobTestDriver implements AutoCloseable {

  private final JobTopology topology;
  private final TopologyTestDriver driver;
  private final DeadLetterMetrics deadLetterMetrics;
  private final TestOutputTopic<byte[], byte[]> deadLetterTopic;
  private final Path stateDirectory;

  private JobTestDriver(JobTopology topology, Instant wallClockStart) {
    this.topology = topology;
    this.stateDirectory = createStateDirectory();
    // The driver runs at-least-once: under exactly-once it clears its mock producer before the
    // transaction that holds the dead letter of an unreadable record commits, losing that record
    // (Kafka 4.3.1). Processing is the same either way; only the simulated commit differs.
    JobConfig config =
        JobConfig.builder("test-driver:9092")
            .stateDirectory(stateDirectory)
            .guarantee(ProcessingGuarantee.AT_LEAST_ONCE)
            .build();
    Map<String, Object> streamsConfig = config.streamsConfig(topology);
    this.deadLetterMetrics = DeadLetterMetrics.from(streamsConfig);
    Properties properties = new Properties();
    properties.putAll(streamsConfig);
    this.driver = new TopologyTestDriver(topology.topology(), properties, wallClockStart);
    this.deadLetterTopic =
        driver.createOutputTopic(
            topology.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** A driver for the unversioned topology of {@code job}, with its wall clock at {@code start}. */
  public static JobTestDriver of(KappaJob job, Instant start) {
    return new JobTestDriver(job.topology(), start);
  }

  /** A driver for {@code topology}, with its wall clock at {@code start}. */
  public static JobTestDriver of(JobTopology topology, Instant start) {
    return new JobTestDriver(topology, start);
  }

  /** The job's topology. */
  public JobTopology topology() {
    return topology;
  }

  /** The wrapped driver, for anything not offered here. */
  public TopologyTestDriver driver() {
    return driver;
  }

  /** An input topic for {@code source}, written with its codecs. */
  public <K, V> TestInputTopic<K, V> input(Source<K, V> source) {
    return driver.createInputTopic(
        source.topic(), source.keys().serde().serializer(), source.values().serde().serializer());
  }

  /** An input topic for {@code source} that takes raw bytes, to feed malformed records. */
  public TestInputTopic<byte[], byte[]> rawInput(Source<?, ?> source) {
    return driver.createInputTopic(
        source.topic(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The output topic of {@code sink} in this deployment, read with its codecs. */
  public <K, V> TestOutputTopic<K, V> output(Sink<K, V> sink) {
    return driver.createOutputTopic(
        topology.outputTopics().get(sink.name()),
        sink.keys().serde().deserializer(),
        sink.values().serde().deserializer());
  }

  /** The dead letters written since the last call. */
  public List<DeadLetter> deadLetters() {
    return deadLetterTopic.readRecordsToList().stream()
        .map(record -> DeadLetter.of(record.key(), record.value(), record.headers()))
        .toList();
  }

  /** The records counted as dead letters so far. */
  public long deadLetterCount() {
    return deadLetterMetrics.total();
  }

  /**
   * The records dropped so far, from Kafka Streams' {@code dropped-records-total} metric: late
   * records and dead letters.
   */
  public long droppedRecords() {
    return StreamsMetricSums.total(driver.metrics(), "dropped-records-total");
  }

  /**
   * Moves the driver's wall clock on by {@code duration}, which runs what is due on the way: tables
   * aggregated in two phases and rollups ({@link dev.kappa.topology.WindowedTable}) take the
   * partials of their tasks at most every second of wall-clock time, one level of rollup at a time.
   */
  public void advanceWallClockTime(Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  /** The store of a key-value serving table. */
  public <K, V> KeyValueStore<K, ValueAndTimestamp<V>> keyValueStore(ServingTable<K, V> table) {
    return driver.getTimestampedKeyValueStore(table.name());
  }

  /** The store of a windowed serving table. */
  public <K, V> WindowStore<K, ValueAndTimestamp<V>> windowStore(ServingTable<K, V> table) {
    return driver.getTimestampedWindowStore(table.name());
  }

  /** The store of a session serving table. */
  public <K, V> SessionStore<K, V> sessionStore(ServingTable<K, V> table) {
    return driver.getSessionStore(table.name());
  }

  /** Closes the driver and deletes its state. */
  @Override
  public void close() {
    try {
      driver.close();
    } finally {
      deleteStateDirectory();
    }
  }

  private static Path createStateDirectory() {
    try {
      return Files.createTempDirectory("kappa-test-driver-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a state directory for the test driver", e);
    }
  }

  private void deleteStateDirectory() {
    try {
      Utils.delete(stateDirectory.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot delete the test driver's state in " + stateDirectory, e);
    }
  }
}
